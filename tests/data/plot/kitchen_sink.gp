# gnuplot script written by tocalc; run it with: gnuplot -d THIS_FILE
# Every piece of text is one line of the datablock $TXT and every number
# a field of $DATA; commands only refer to them ($TXT[i] ... noenhanced).
set encoding utf8
set terminal svg size 900,560 fixed font 'DejaVu Sans,10' noenhanced name 'kitchen_sink' background rgb '#ffffff'
# output: standard output
$TXT << TOCALC_TEXT_END
US overdose deaths, 12 months ending
year
deaths
tariff on China
data: cdc-vsrr
90% interval
reported
peak
2022
tariff rate
bars
2019 scheduling
100,000 deaths
year
deaths
tariff on China
data: cdc-vsrr
100%%
TOCALC_TEXT_END
$DATA << TOCALC_DATA_END
2015 50000 55000
2016 60000 67000
2017 68000 72000
2018 65000 70000
2019 68000 73000
2020 88000 95000
2021 102000 110000
2022 104000 111000
2023 NaN NaN

2024 76000 84000


2015 52404
2016 63632
2017 70237
2018 67367
2019 70630
2020 91799
2021 106699
2022 107941
2023 NaN

2024 80391


2015 0
2016 0
2017 0
2018 10
2019 25
2020 25
2021 25
2022 25
2023 25
2024 45


2015 52404
2016 63632
2017 70237


2015 0 0.5
2016 0 0.5
2017 0 0.5
2018 10 0.5


2020 91799 8
2022 107941 9
TOCALC_DATA_END
set datafile missing 'NaN'
set border 11 front lc rgb '#404040' lw 1
set tics nomirror out scale 0.6
set grid ytics back lt 1 lc rgb '#e0e0e0' lw 1
set key below center horizontal noenhanced
set title $TXT[1] noenhanced
set xlabel $TXT[2] noenhanced
set ylabel $TXT[3] noenhanced
set y2tics nomirror out scale 0.6
set y2label $TXT[4] noenhanced
set format x '%.0f'
set xtics ($TXT[17] 2015, $TXT[18] 2020, '' 2024)
set ytics ('0' 0, '20,000' 20000, '40,000' 40000, '60,000' 60000, '80,000' 80000, '100,000' 100000, '120,000' 120000)
set yrange [0:120000]
set format y2 '%.0f%%'
set y2range [0:100]
set object 1 rect from 2023.5, graph 0 to 2024.5, graph 1 back fc rgb '#eeeeee' fs solid 1.0 noborder
set label 1 $TXT[14] at 2023.5, graph 0.02 left offset 0.5,0.5 tc rgb '#555555' noenhanced
set arrow 1 from 2019.5, graph 0 to 2019.5, graph 1 nohead back lc rgb '#666666' lw 1 dt 2
set label 2 $TXT[12] at 2019.5, graph 0.98 rotate by 90 right offset -0.6,0 tc rgb '#666666' noenhanced front
set arrow 2 from graph 0, first 100000 to graph 1, first 100000 nohead back lc rgb '#aa0000' lw 1 dt 2
set label 3 $TXT[13] at graph 0.01, first 100000 left offset 0,0.6 tc rgb '#aa0000' noenhanced front
set label 4 $TXT[15] at graph 0.02, graph 0.9 left noenhanced front
set label 5 $TXT[16] at first 2016, first 90000 left noenhanced front
set label 6 $TXT[5] at screen 0.01, screen 0.015 left font ',8' tc rgb '#666666' noenhanced
plot $DATA index 0 using 1:2:3 axes x1y1 title $TXT[6] noenhanced with filledcurves fs transparent solid 0.25 noborder lc rgb '#0072b2', \
     $DATA index 1 using 1:2 axes x1y1 title $TXT[7] noenhanced with lines lw 2.5 dt 1 lc rgb '#d55e00', \
     $DATA index 2 using 1:2 axes x1y2 title $TXT[10] noenhanced with steps lw 2 dt 3 lc rgb '#333333', \
     $DATA index 3 using 1:2 axes x1y1 notitle with points pt 5 ps 0.8 lc rgb '#009e73', \
     $DATA index 4 using 1:2:3 axes x1y1 title $TXT[11] noenhanced with boxes fs solid 0.85 noborder lc rgb '#cc79a7', \
     $DATA index 5 using 1:2:($TXT[int($3)]) axes x1y1 notitle with labels left offset 0.6,0.4 noenhanced
