# gnuplot script written by tocalc; run it with: gnuplot -d THIS_FILE
# Every piece of text is one line of the datablock $TXT and every number
# a field of $DATA; commands only refer to them ($TXT[i] ... noenhanced).
set encoding utf8
set terminal svg size 960,600 fixed font 'DejaVu Sans,10' noenhanced name 'tocalc' background rgb '#ffffff'
# output: standard output
$TXT << TOCALC_TEXT_END
TOCALC_TEXT_END
$DATA << TOCALC_DATA_END
1 0.10000000000000001
2 2.5
3 -1e-300
TOCALC_DATA_END
set datafile missing 'NaN'
set border 3 front lc rgb '#404040' lw 1
set tics nomirror out scale 0.6
set grid ytics back lt 1 lc rgb '#e0e0e0' lw 1
set key top left Left reverse noenhanced
plot $DATA index 0 using 1:2 axes x1y1 notitle with lines lw 2 dt 1 lc rgb '#0072b2'
