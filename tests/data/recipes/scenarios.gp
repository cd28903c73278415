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
0.72999999999999998 212.75188079565154 0.25
1.73 271.50024888092872 0.25
2.73 221.96111154462875 0.25
3.73 278.32446827356864 0.25
4.7300000000000004 1277.054137489188 0.25
5.7300000000000004 1929.9399251300945 0.25


1 299.32192068169286 0.25
2 315.14643170132803 0.25
3 316.47676602014121 0.25
4 3649.1987340028145 0.25
5 1544.7568030627035 0.25
6 2147.6093856914326 0.25


1.27 1327.2074074074073 0.25
2.27 1317.9000000000001 0.25
3.27 1321.2249999999999 0.25
4.2699999999999996 1079.8299999999999 0.25
5.2699999999999996 1174.02 0.25
6.2699999999999996 1100.8699999999999 0.25
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
set yrange [0:5000]
set y2range [0:1800]
set label 1 $TXT[5] at screen 0.01, screen 0.015 left font ',8' tc rgb '#666666' noenhanced
plot $DATA index 0 using 1:2:3 axes x1y1 title $TXT[6] noenhanced with boxes fs solid 0.85 noborder lc rgb '#0072b2', \
     $DATA index 1 using 1:2:3 axes x1y1 title $TXT[7] noenhanced with boxes fs solid 0.85 noborder lc rgb '#d55e00', \
     $DATA index 2 using 1:2:3 axes x1y2 title $TXT[8] noenhanced with boxes fs solid 0.85 noborder lc rgb '#009e73'
