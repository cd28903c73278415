# gnuplot script written by tocalc; run it with: gnuplot -d THIS_FILE
# Every piece of text is one line of the datablock $TXT and every number
# a field of $DATA; commands only refer to them ($TXT[i] ... noenhanced).
set encoding utf8
set terminal svg size 960,600 fixed font 'DejaVu Sans,10' noenhanced name 'claims' background rgb '#ffffff'
# output: standard output
$TXT << TOCALC_TEXT_END
The documents' numeric claims against the data: the computed value as % of the claimed one
computed value, % of the claimed value (100 = as claimed)
Source: the documents' claims, judged by 'tocalc check' against CDC NCHS final and VSRR counts and the tariff timeline. Diamond: the claim; bar: its tolerance.
Not shown: tariff-200-proposed, cooperation-sold-3-times, china-sweep-5000 (cannot be checked); od-first-decline-since-2018 (a year, not a number).
tolerance
claimed
holds
roughly holds
does not hold
holds
holds
holds
holds
roughly holds
holds
does not hold
holds
roughly holds
roughly holds
roughly holds
fentanyl-tariff-20
fentanyl-tariff-10-maintained
tariff-10-china
tariff-25-mexico-canada
od-fall-17pct
synthetic-fall-19pct
fentanyl-76k-2022
deaths-75k-annually
synthetic-400k-decade
od-fall-24pct-sep2024
od-fall-27pct-2024
TOCALC_TEXT_END
$DATA << TOCALC_DATA_END
97.058823529411768 7
102.94117647058823 7
102.94117647058823 NaN

94.73684210526315 6
105.26315789473685 6
105.26315789473685 NaN

99 5
101 5
101 NaN

95 4
105 4
105 NaN

99 3
101 3
101 NaN

95.833333333333329 2
104.16666666666667 2
104.16666666666667 NaN

98.148148148148152 1
101.85185185185185 1
101.85185185185185 NaN


100 11
100 10
100 9
100 8
100 7
100 6
100 5
100 4
100 3
100 2
100 1


100 11
100 10
100 9
100 8
97.439041325561135 6
96.540000000000006 4


96.076354084037234 7
101.107 3
86.798656020810014 2
91.574116723817312 1


97.155263157894737 5
TOCALC_DATA_END
set datafile missing 'NaN'
set border 3 front lc rgb '#404040' lw 1
set tics nomirror out scale 0.6
set grid xtics ytics back lt 1 lc rgb '#e0e0e0' lw 1
unset key
set lmargin 30
set rmargin 16
set title $TXT[1] noenhanced
set xlabel $TXT[2] noenhanced
set ytics ($TXT[21] 11, $TXT[22] 10, $TXT[23] 9, $TXT[24] 8, $TXT[25] 7, $TXT[26] 6, $TXT[27] 5, $TXT[28] 4, $TXT[29] 3, $TXT[30] 2, $TXT[31] 1)
set xrange [85:110]
set yrange [0.4:11.6]
set label 1 $TXT[10] at graph 1.02, first 11 left noenhanced front
set label 2 $TXT[11] at graph 1.02, first 10 left noenhanced front
set label 3 $TXT[12] at graph 1.02, first 9 left noenhanced front
set label 4 $TXT[13] at graph 1.02, first 8 left noenhanced front
set label 5 $TXT[14] at graph 1.02, first 7 left noenhanced front
set label 6 $TXT[15] at graph 1.02, first 6 left noenhanced front
set label 7 $TXT[16] at graph 1.02, first 5 left noenhanced front
set label 8 $TXT[17] at graph 1.02, first 4 left noenhanced front
set label 9 $TXT[18] at graph 1.02, first 3 left noenhanced front
set label 10 $TXT[19] at graph 1.02, first 2 left noenhanced front
set label 11 $TXT[20] at graph 1.02, first 1 left noenhanced front
set bmargin 6
set label 12 $TXT[4] at screen 0.01, screen 0.015 left font ',8' tc rgb '#666666' noenhanced
set label 13 $TXT[3] at screen 0.01, screen 0.04 left font ',8' tc rgb '#666666' noenhanced
plot $DATA index 0 using 1:2 axes x1y1 title $TXT[5] noenhanced with lines lw 7 dt 1 lc rgb '#d0d0d0', \
     $DATA index 1 using 1:2 axes x1y1 title $TXT[6] noenhanced with points pt 12 ps 1.4 lc rgb '#666666', \
     $DATA index 2 using 1:2 axes x1y1 title $TXT[7] noenhanced with points pt 7 ps 1.6 lc rgb '#0072b2', \
     $DATA index 3 using 1:2 axes x1y1 title $TXT[8] noenhanced with points pt 9 ps 1.6 lc rgb '#e69f00', \
     $DATA index 4 using 1:2 axes x1y1 title $TXT[9] noenhanced with points pt 5 ps 1.6 lc rgb '#000000'
