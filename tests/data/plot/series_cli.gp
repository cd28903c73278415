# gnuplot script written by tocalc; run it with: gnuplot -d THIS_FILE
# Every piece of text is one line of the datablock $TXT and every number
# a field of $DATA; commands only refer to them ($TXT[i] ... noenhanced).
set encoding utf8
set terminal svg size 960,600 fixed font 'DejaVu Sans,10' noenhanced name 'series' background rgb '#ffffff'
set output 'plots/series.svg'
$TXT << TOCALC_TEXT_END
Test series
year
count
count
TOCALC_TEXT_END
$DATA << TOCALC_DATA_END
2010 120
2011 135
2012 150
2013 NaN

2014 190
2015 240
2016 310
TOCALC_DATA_END
set datafile missing 'NaN'
set border 3 front lc rgb '#404040' lw 1
set tics nomirror out scale 0.6
set grid ytics back lt 1 lc rgb '#e0e0e0' lw 1
set key top left Left reverse noenhanced
set title $TXT[1] noenhanced
set xlabel $TXT[2] noenhanced
set ylabel $TXT[3] noenhanced
set xtics 1
set format x '%.0f'
plot $DATA index 0 using 1:2 axes x1y1 title $TXT[4] noenhanced with linespoints lw 2 dt 1 pt 7 ps 0.6 lc rgb '#0072b2'
