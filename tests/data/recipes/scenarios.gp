# gnuplot script written by tocalc; run it with: gnuplot -d THIS_FILE
# Every piece of text is one line of the datablock $TXT and every number
# a field of $DATA; commands only refer to them ($TXT[i] ... noenhanced).
set encoding utf8
set terminal svg size 960,600 fixed font 'DejaVu Sans,10' noenhanced name 'scenarios' background rgb '#ffffff'
# output: standard output
$TXT << TOCALC_TEXT_END
The documents' tariff scenarios: what households pay and what is still imported
 
Source: each bar as 'tocalc tariff run NAME', all modelled partners; per household: divided by 132,737,146 US households (US Census Bureau).
tariff revenue gained, per household
cost to consumers, per household
imports after the change, USD billion
canada-35
china-10
china-20
china-200
mexico-canada-25
package-2025
USD per US household
imports after, USD billion
TOCALC_TEXT_END
$DATA << TOCALC_DATA_END
0.83999999999999997 32.761993406555774 0.29999999999999999
1.8400000000000001 244.44046705215405 0.29999999999999999
2.8399999999999999 216.32126587815068 0.29999999999999999
3.8399999999999999 1086.8285432480959 0.29999999999999999
4.8399999999999999 1294.9041506601707 0.29999999999999999
5.8399999999999999 1750.2062004392801 0.29999999999999999


1.1599999999999999 35.169346179387269 0.29999999999999999
2.1600000000000001 311.15326635974333 0.29999999999999999
3.1600000000000001 312.71058562783998 0.29999999999999999
4.1600000000000001 3127.9632280956498 0.29999999999999999
5.1600000000000001 1483.5690065682707 0.29999999999999999
6.1600000000000001 2089.7452044556917 0.29999999999999999


1 3263.3512664979426 0.5
2 3235.2536700365899 0.5
3 3238.986132548227 0.5
4 3123.4374809779101 0.5
5 3095.8181186978145 0.5
6 3035.3826240421859 0.5
TOCALC_DATA_END
set datafile missing 'NaN'
set border 3 front lc rgb '#404040' lw 1
set tics nomirror out scale 0.6
set grid ytics back lt 1 lc rgb '#e0e0e0' lw 1
set xrange [0.4:6.6]
set lmargin at screen 0.09583333333333334
set rmargin at screen 0.975
set multiplot
# panel 1
unset label
unset arrow
unset object
unset title
set tmargin at screen 0.92
set bmargin at screen 0.44410256410256416
set key top left Left reverse noenhanced
set ylabel $TXT[13] noenhanced
unset xlabel
set xtics ('' 1, '' 2, '' 3, '' 4, '' 5, '' 6)
set ytics autofreq
set format y
set ytics ('0' 0, '1,000' 1000, '2,000' 2000, '3,000' 3000, '4,000' 4000)
set yrange [0:4500]
set label 1 $TXT[1] at screen 0.09583333333333334, screen 0.9633333333333334 left font ',12' noenhanced
plot $DATA index 0 using 1:2:3 axes x1y1 title $TXT[4] noenhanced with boxes fs solid 0.85 noborder lc rgb '#0072b2', \
     $DATA index 1 using 1:2:3 axes x1y1 title $TXT[5] noenhanced with boxes fs solid 0.85 noborder lc rgb '#e69f00'
# panel 2
unset label
unset arrow
unset object
unset title
set tmargin at screen 0.4141025641025642
set bmargin at screen 0.11666666666666675
unset key
set ylabel $TXT[14] noenhanced
set xlabel $TXT[2] noenhanced
set xtics ($TXT[7] 1, $TXT[8] 2, $TXT[9] 3, $TXT[10] 4, $TXT[11] 5, $TXT[12] 6)
set ytics autofreq
set format y
set ytics ('0' 0, '1,000' 1000, '2,000' 2000, '3,000' 3000)
set yrange [0:3600]
set label 1 $TXT[3] at screen 0.01, screen 0.015 left font ',8' tc rgb '#666666' noenhanced
plot $DATA index 2 using 1:2:3 axes x1y1 title $TXT[6] noenhanced with boxes fs solid 0.85 noborder lc rgb '#009e73'
unset multiplot
