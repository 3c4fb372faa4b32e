# SPDX-License-Identifier: GPL-2.0-only
# Forwarded IPv4 pps against table size, one line per router mode (linux,
# fib-helper, xdp-router with the LPM trie and with the DIR-24-8 FIB), with the
# min-max of the alternating runs as error bars.
#   gnuplot -e "data='pps-full.dat'; out='pps.png'" pps_vs_routes.gp
set terminal pngcairo size 800,500 noenhanced
set output out
set title "64-byte UDP forwarded through one router CPU (veth, XDP native)"
set xlabel "IPv4 routes in the table"
set ylabel "Mpps delivered (median, min-max)"
set logscale x
set xrange [0.5:2000000]
set yrange [0:*]
set key top right
set grid
plot data using 1:2:3:4 with yerrorlines lw 2 title "linux", \
     data using 1:5:6:7 with yerrorlines lw 2 title "fib-helper", \
     data using 1:8:9:10 with yerrorlines lw 2 title "xdp-router (LPM trie)", \
     data using 1:11:12:13 with yerrorlines lw 2 title "xdp-router (DIR-24-8)"
