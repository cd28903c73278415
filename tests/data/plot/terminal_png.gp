# gnuplot script written by tocalc; run it with: gnuplot -d THIS_FILE
# Every piece of text is one line of the datablock $TXT and every number
# a field of $DATA; commands only refer to them ($TXT[i] ... noenhanced).
set encoding utf8
set terminal pngcairo size 750,600 font 'DejaVu Sans,10' noenhanced background rgb '#ffffff'
# output: standard output
$TXT << TOCALC_TEXT_END
deaths
all drugs
TOCALC_TEXT_END
$DATA << TOCALC_DATA_END
1999 16849
2000 17415
TOCALC_DATA_END
set datafile missing 'NaN'
set border 3 front lc rgb '#404040' lw 1
set tics nomirror out scale 0.6
set grid ytics back lt 1 lc rgb '#e0e0e0' lw 1
set key top left Left reverse noenhanced
set title $TXT[1] noenhanced
set xtics 1
set format x '%.0f'
set ytics ('16,800' 16800, '16,900' 16900, '17,000' 17000, '17,100' 17100, '17,200' 17200, '17,300' 17300, '17,400' 17400, '17,500' 17500)
set yrange [16800:17500]
plot $DATA index 0 using 1:2 axes x1y1 title $TXT[2] noenhanced with linespoints lw 2 dt 1 pt 7 ps 0.6 lc rgb '#0072b2'
