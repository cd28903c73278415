# gnuplot script written by tocalc; run it with: gnuplot -d THIS_FILE
# Every piece of text is one line of the datablock $TXT and every number
# a field of $DATA; commands only refer to them ($TXT[i] ... noenhanced).
set encoding utf8
set terminal svg size 960,600 fixed font 'DejaVu Sans,10' noenhanced name 'scenarios' background rgb '#ffffff'
# output: standard output
$TXT << TOCALC_TEXT_END
The document scenarios side by side
 
USD per US household
imports after, USD billion
each as 'tocalc tariff run NAME' (scenarios/*.scn), all modelled partners; per household: divided by 132737146 US households (parameters.csv)
tariff revenue gained, per household (left axis)
cost to consumers, per household (left axis)
imports after, USD billion (right axis)
canada-35
china-10
china-20
china-200
mexico-canada-25
package-2025
TOCALC_TEXT_END
$DATA << TOCALC_DATA_END
0.72999999999999998 225.83390970550789 0.25
1.73 290.9824316900947 0.25
2.73 258.37421029213994 0.25
3.73 1368.4922582290394 0.25
4.7300000000000004 1355.0375181225961 0.25
5.7300000000000004 1934.1020569923778 0.25


1 295.3130179132462 0.25
2 310.09338774427863 0.25
3 311.98428661935054 0.25
4 3084.1398342102143 0.25
5 1514.7427989539997 0.25
6 2146.6749001868557 0.25


1.27 1327.8234513556692 0.25
2.27 1319.175822481317 0.25
3.27 1323.5041447258177 0.25
4.2699999999999996 1176.1502433195824 0.25
5.2699999999999996 1177.9361871214833 0.25
6.2699999999999996 1101.0728128821027 0.25
TOCALC_DATA_END
set datafile missing 'NaN'
set border 11 front lc rgb '#404040' lw 1
set tics nomirror out scale 0.6
set grid ytics back lt 1 lc rgb '#e0e0e0' lw 1
set key top left Left reverse noenhanced
set title $TXT[1] noenhanced
set xlabel $TXT[2] noenhanced
set ylabel $TXT[3] noenhanced
set y2tics nomirror out scale 0.6
set y2label $TXT[4] noenhanced
set xtics ($TXT[9] 1, $TXT[10] 2, $TXT[11] 3, $TXT[12] 4, $TXT[13] 5, $TXT[14] 6)
set format y '%.0f'
set format y2 '%.0f'
set xrange [0.4:6.6]
set yrange [0:4500]
set y2range [0:1800]
set label 1 $TXT[5] at screen 0.01, screen 0.015 left font ',8' tc rgb '#666666' noenhanced
plot $DATA index 0 using 1:2:3 axes x1y1 title $TXT[6] noenhanced with boxes fs solid 0.85 noborder lc rgb '#0072b2', \
     $DATA index 1 using 1:2:3 axes x1y1 title $TXT[7] noenhanced with boxes fs solid 0.85 noborder lc rgb '#d55e00', \
     $DATA index 2 using 1:2:3 axes x1y2 title $TXT[8] noenhanced with boxes fs solid 0.85 noborder lc rgb '#009e73'
