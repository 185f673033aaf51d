# The chart of docs/bench: one horizontal bar per item, from 1 to its
# ratio on a log scale (green when Trellis is better, red when Linux is).
# Called by harness.py with: datafile, outfile, height.
# Data columns: index, name, ratio, bar start, bar end, better (0/1);
# the figure is written right of the bar's right end.
set terminal pngcairo size 900,height font "sans,10" noenhanced
set output outfile
set title "Trellis against Linux under QEMU (ratio > 1: Trellis is better)"
set logscale x 2
set format x "%.3g"
set xlabel "ratio (log scale)"
set grid xtics
set xrange [*:*]
set yrange [-1:*]
set ytics nomirror
set key off
set style fill solid 0.8 noborder
set arrow from 1, graph 0 to 1, graph 1 nohead lc rgb "black" lw 1.5
plot datafile using 3:1:4:5:($1-0.35):($1+0.35):($6 > 0.5 ? 0x2ca02c : 0xd62728):ytic(2) \
         with boxxyerror lc rgb variable, \
     datafile using 5:1:(sprintf(" %.2f", $3)) with labels left font "sans,8"
