# The picture of the demo: branch turnover against customer churn, and the
# retention of new hires by the culture of their branch. run_demo.sh writes
# the data files into dir and passes the fitted line and the correlation:
#   gnuplot -e "dir='...'; out='demo.png'; slope=...; intercept=...; r=...; p='...'; n=..." plot.gp
# branches.dat: annualized turnover and churn of each branch, one a line.
# curveK.dat (K = 1, 2, 3: culture tercile): "0 1", then tenure_days and
# survival, one line per distinct duration of the Kaplan-Meier table. Each
# curve is drawn as far as its last line and no further: past the longest
# tenure observed in a group the data say nothing.
set terminal pngcairo size 1400,600 font 'DejaVu Sans,11'
set output out
set multiplot layout 1,2 margins 0.06,0.98,0.17,0.88 spacing 0.09,0

# the fitted line spans the branches' turnover, not beyond
stats dir.'/branches.dat' using (100*$1) name 'T' nooutput

set title sprintf("Branches losing staff lose customers\nPearson r = %.2f, p = %s, %d branches, 2022-2024", r, p, n)
set xlabel 'employee turnover, separations per head per year'
set ylabel 'customer churn: share of the 2022 book gone by 2025'
set format x '%.0f%%'
set format y '%.0f%%'
set key top left
set grid lc rgb '#dddddd'
plot dir.'/branches.dat' using (100*$1):(100*$2) with points pt 7 ps 1.2 lc rgb '#1f77b4' title 'branch', \
     [x=T_min:T_max] 100*(intercept + slope*x/100) with lines lw 2 lc rgb '#d62728' title 'least-squares line'

set title "New hires staying, by the people-first culture of their branch\nKaplan-Meier, hires of 2022-2024, seen on 2025-01-01"
set xlabel 'years since hire'
set ylabel 'still employed'
set format x '%.1f'
set format y '%.0f%%'
set xrange [0:3.05]
set yrange [0:100]
set key bottom left
set label 1 "Culture is a hidden score the simulator draws for each branch; it lowers both staff turnover and customer churn.\nA real company would measure it with an employee NPS (eNPS) survey." \
    at screen 0.5, 0.045 center font 'DejaVu Sans,10' tc rgb '#444444'
plot dir.'/curve3.dat' using ($1/365.25):(100*$2) with steps lw 2 lc rgb '#2ca02c' title 'highest third', \
     dir.'/curve2.dat' using ($1/365.25):(100*$2) with steps lw 2 lc rgb '#ff7f0e' title 'middle third', \
     dir.'/curve1.dat' using ($1/365.25):(100*$2) with steps lw 2 lc rgb '#d62728' title 'lowest third', \
     50 with lines dt 2 lw 1.5 lc rgb '#555555' title 'median tenure: half still employed'
unset label 1
unset multiplot
