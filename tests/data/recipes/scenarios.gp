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
0.72999999999999998 32.761993406555774 0.25
1.73 244.44046705215405 0.25
2.73 216.32126587815068 0.25
3.73 1086.8285432480959 0.25
4.7300000000000004 1294.9041506601707 0.25
5.7300000000000004 1750.2062004392801 0.25


1 35.169346179387269 0.25
2 311.15326635974333 0.25
3 312.71058562783998 0.25
4 3127.9632280956498 0.25
5 1483.5690065682707 0.25
6 2089.7452044556917 0.25


1.27 3263.3512664979426 0.25
2.27 3235.2536700365899 0.25
3.27 3238.986132548227 0.25
4.2699999999999996 3123.4374809779101 0.25
5.2699999999999996 3095.8181186978145 0.25
6.2699999999999996 3035.3826240421859 0.25
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
set y2range [0:4600]
set label 1 $TXT[5] at screen 0.01, screen 0.015 left font ',8' tc rgb '#666666' noenhanced
plot $DATA index 0 using 1:2:3 axes x1y1 title $TXT[6] noenhanced with boxes fs solid 0.85 noborder lc rgb '#0072b2', \
     $DATA index 1 using 1:2:3 axes x1y1 title $TXT[7] noenhanced with boxes fs solid 0.85 noborder lc rgb '#d55e00', \
     $DATA index 2 using 1:2:3 axes x1y2 title $TXT[8] noenhanced with boxes fs solid 0.85 noborder lc rgb '#009e73'
