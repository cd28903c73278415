# gnuplot script written by tocalc; run it with: gnuplot -d THIS_FILE
# Every piece of text is one line of the datablock $TXT and every number
# a field of $DATA; commands only refer to them ($TXT[i] ... noenhanced).
set encoding utf8
set terminal svg size 960,600 fixed font 'DejaVu Sans,10' noenhanced name 'claims' background rgb '#ffffff'
# output: standard output
$TXT << TOCALC_TEXT_END
The documents' claims against the data: computed value / claimed value
 
computed / claimed
claims.csv, as tocalc check judges it; not shown: tariff-200-proposed, cooperation-sold-3-times, china-sweep-5000 (cannot be checked), od-first-decline-since-2018 (no claimed number)
holds
roughly holds
does not hold
fentanyl-tariff-20: holds
fentanyl-tariff-10-maintained: holds
tariff-10-china: holds
tariff-25-mexico-canada: holds
od-fall-17pct: roughly holds
synthetic-fall-19pct: holds
fentanyl-76k-2022: does not hold
deaths-75k-annually: holds
synthetic-400k-decade: roughly holds
od-fall-24pct-sep2024: roughly holds
od-fall-27pct-2024: roughly holds
computed = claimed
TOCALC_TEXT_END
$DATA << TOCALC_DATA_END
1 1
1 1
1 NaN

2 1
2 1
2 NaN

3 1
3 1
3 NaN

4 1
4 1
4 NaN

6 1
6 0.97439041325561138
6 NaN

8 1
8 0.96540000000000004
8 NaN


5 1
5 0.9607635408403723
5 NaN

9 1
9 1.0110699999999999
9 NaN

10 1
10 0.86798656020810006
10 NaN

11 1
11 0.91574116723817311
11 NaN


7 1
7 0.97155263157894733
7 NaN


1 1
2 1
3 1
4 1
6 0.97439041325561138
8 0.96540000000000004


5 0.9607635408403723
9 1.0110699999999999
10 0.86798656020810006
11 0.91574116723817311


7 0.97155263157894733
TOCALC_DATA_END
set datafile missing 'NaN'
set border 3 front lc rgb '#404040' lw 1
set tics nomirror out scale 0.6
set grid ytics back lt 1 lc rgb '#e0e0e0' lw 1
unset key
set title $TXT[1] noenhanced
set xlabel $TXT[2] noenhanced
set ylabel $TXT[3] noenhanced
set xtics ('' 1, '' 2, '' 3, '' 4, '' 5, '' 6, '' 7, '' 8, '' 9, '' 10, '' 11)
set xrange [0.3:11.7]
set yrange [0.8:1.4600000000000002]
set arrow 1 from 1, graph 0 to 1, graph 1 nohead back lc rgb '#009e73' lw 1 dt 3
set label 1 $TXT[8] at 1, graph 0.98 rotate by 90 right offset -0.6,0 tc rgb '#009e73' noenhanced front
set arrow 2 from 2, graph 0 to 2, graph 1 nohead back lc rgb '#009e73' lw 1 dt 3
set label 2 $TXT[9] at 2, graph 0.98 rotate by 90 right offset -0.6,0 tc rgb '#009e73' noenhanced front
set arrow 3 from 3, graph 0 to 3, graph 1 nohead back lc rgb '#009e73' lw 1 dt 3
set label 3 $TXT[10] at 3, graph 0.98 rotate by 90 right offset -0.6,0 tc rgb '#009e73' noenhanced front
set arrow 4 from 4, graph 0 to 4, graph 1 nohead back lc rgb '#009e73' lw 1 dt 3
set label 4 $TXT[11] at 4, graph 0.98 rotate by 90 right offset -0.6,0 tc rgb '#009e73' noenhanced front
set arrow 5 from 5, graph 0 to 5, graph 1 nohead back lc rgb '#e69f00' lw 1 dt 3
set label 5 $TXT[12] at 5, graph 0.98 rotate by 90 right offset -0.6,0 tc rgb '#e69f00' noenhanced front
set arrow 6 from 6, graph 0 to 6, graph 1 nohead back lc rgb '#009e73' lw 1 dt 3
set label 6 $TXT[13] at 6, graph 0.98 rotate by 90 right offset -0.6,0 tc rgb '#009e73' noenhanced front
set arrow 7 from 7, graph 0 to 7, graph 1 nohead back lc rgb '#d55e00' lw 1 dt 3
set label 7 $TXT[14] at 7, graph 0.98 rotate by 90 right offset -0.6,0 tc rgb '#d55e00' noenhanced front
set arrow 8 from 8, graph 0 to 8, graph 1 nohead back lc rgb '#009e73' lw 1 dt 3
set label 8 $TXT[15] at 8, graph 0.98 rotate by 90 right offset -0.6,0 tc rgb '#009e73' noenhanced front
set arrow 9 from 9, graph 0 to 9, graph 1 nohead back lc rgb '#e69f00' lw 1 dt 3
set label 9 $TXT[16] at 9, graph 0.98 rotate by 90 right offset -0.6,0 tc rgb '#e69f00' noenhanced front
set arrow 10 from 10, graph 0 to 10, graph 1 nohead back lc rgb '#e69f00' lw 1 dt 3
set label 10 $TXT[17] at 10, graph 0.98 rotate by 90 right offset -0.6,0 tc rgb '#e69f00' noenhanced front
set arrow 11 from 11, graph 0 to 11, graph 1 nohead back lc rgb '#e69f00' lw 1 dt 3
set label 11 $TXT[18] at 11, graph 0.98 rotate by 90 right offset -0.6,0 tc rgb '#e69f00' noenhanced front
set arrow 12 from graph 0, first 1 to graph 1, first 1 nohead back lc rgb '#666666' lw 1 dt 2
set label 12 $TXT[19] at graph 0.01, first 1 left offset 0,0.6 tc rgb '#666666' noenhanced front
set label 13 $TXT[4] at screen 0.01, screen 0.015 left font ',8' tc rgb '#666666' noenhanced
plot $DATA index 0 using 1:2 axes x1y1 title $TXT[5] noenhanced with lines lw 3 dt 1 lc rgb '#009e73', \
     $DATA index 1 using 1:2 axes x1y1 title $TXT[6] noenhanced with lines lw 3 dt 1 lc rgb '#e69f00', \
     $DATA index 2 using 1:2 axes x1y1 title $TXT[7] noenhanced with lines lw 3 dt 1 lc rgb '#d55e00', \
     $DATA index 3 using 1:2 axes x1y1 notitle with points pt 7 ps 0.8 lc rgb '#009e73', \
     $DATA index 4 using 1:2 axes x1y1 notitle with points pt 9 ps 0.8 lc rgb '#e69f00', \
     $DATA index 5 using 1:2 axes x1y1 notitle with points pt 5 ps 0.8 lc rgb '#d55e00'
