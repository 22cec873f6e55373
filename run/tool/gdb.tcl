# SPDX-License-Identifier: MIT
# \brief a stock host GDB driven by a run script against the GDB monitor
#        (run/gdb_monitor.run, run/gdb_threads.run, run/gdb_monitor_no_target.run,
#        run/gdb_monitor_keepalive.run, and the boot of tests/bench/gdb/bench_gdb.run and
#        run/gdb_monitor_interactive.run): GDB started on the target's binary,
#        its commands and their answers, core's lines read meanwhile
#
# A script sources this file (`source [file join $run_root run tool gdb.tcl]`), boots with
# gdb_monitor_boot and calls gdb_start; `$source` is the target's source file (for
# source_text and source_line).

set hex {0x[0-9a-f]+}

## build what gdb_monitor_install boots with the target `name`: core, the loader, init,
## timer, nic_drv, gdb_monitor and `name`
proc gdb_monitor_build {name} {
	build [list core loader init timer nic_drv gdb_monitor $name]
}

## build (gdb_monitor_build) and install timer, nic_drv and gdb_monitor with the target
## `name` (`xml` inside its <target> element, `target_ram` its RAM, `monitor_ram` the
## monitor's quantum, which must hold the target's too) waiting at its entry, nic_drv
## forwarding the host's 127.0.0.1:`port` to the monitor's 8181 (`nic_attributes` on
## nic_drv's <config>, e.g. `keepalive="1"`); core boots at the first wait for a line.
## Forbidden from then on: core's unresolved page fault in the target, a frame the
## monitor's network refused. `$m` is the monitor's log prefix, `$target_started` the
## regexp of its line that it started the target (again after a kill or an exit),
## `$target_killed` the one that GDB killed it, `$monitor_listens` the one that its
## network is up.
proc gdb_monitor_install {name port {xml ""} {target_ram 4M} {monitor_ram 24M} {nic_attributes ""}} {
	global m target_started target_killed monitor_listens
	gdb_monitor_build $name
	create_boot_directory
	set nic_config [string trim "config $nic_attributes"]
	install_config [init_config [string map [list @PORT@ $port @NAME@ $name @XML@ $xml \
		@TARGET_RAM@ $target_ram @MONITOR_RAM@ $monitor_ram @NIC_CONFIG@ $nic_config] {
	<start name="timer">
		<resource name="RAM" quantum="2M"/>
		<provides> <service name="Timer"/> </provides>
	</start>
	<start name="nic_drv">
		<resource name="RAM" quantum="8M"/>
		<provides> <service name="Nic"/> </provides>
		<@NIC_CONFIG@> <forward proto="tcp" host="127.0.0.1:@PORT@" guest="10.0.2.15:8181"/> </config>
	</start>
	<start name="gdb_monitor">
		<resource name="RAM" quantum="@MONITOR_RAM@"/>
		<config>
			<target name="@NAME@" ram="@TARGET_RAM@">@XML@</target>
			<tcp port="8181"/>
			<wait/>
			<net dhcp="yes"/>
		</config>
	</start>}]]
	build_boot_image [list init timer nic_drv gdb_monitor $name]
	set m {\[init -> gdb_monitor\]}
	forbid_pattern "unresolved page fault in \"init -> gdb_monitor -> $name\""
	forbid_pattern {^\[init -> gdb_monitor\] .*(refused a frame|rejected|corrupted)}
	set target_started "^$m gdb server: target \"$name\" started, to stop at its first instruction\$"
	set target_killed "^$m gdb server: target \"$name\" killed\$"
	set monitor_listens "^$m gdb_monitor: listening for GDB on 10.0.2.15:8181\$"
}

## gdb_monitor_install, boot, and wait until the monitor started the target and then
## listens
proc gdb_monitor_boot {name port {xml ""} {target_ram 4M} {monitor_ram 24M} {nic_attributes ""}} {
	global target_started monitor_listens
	gdb_monitor_install $name $port $xml $target_ram $monitor_ram $nic_attributes
	# the monitor starts the target before its network is up
	run_until $target_started 30
	run_until $monitor_listens 30
}

## take the target `name`'s ROM module out of the boot directory: the monitor's starts of
## it fail from then on, each logged by core (`$no_module`) and by the monitor
## (`$no_binary`), which are allowed; the monitor must not end
proc gdb_monitor_target_remove {name} {
	global m no_binary no_module
	set no_binary "^$m Error: gdb server: target \"$name\" not started: no ROM module of its binary\$"
	set no_module "^\\\[core\\\] Error: ROM module \"$name\" not found\$"
	allow_pattern $no_binary
	allow_pattern $no_module
	forbid_pattern {^\[init\] "gdb_monitor" exited}
	file delete [file join [boot_dir] $name]
}

## put the target `name`'s ROM module back into the boot directory (build_boot_image), after
## gdb_monitor_target_remove: the monitor's next start of it finds its binary; the lines of
## the failed starts stay allowed
proc gdb_monitor_target_restore {name} {
	build_boot_image [list $name]
}

## GDB connects to the monitor while it has no target (gdb_monitor_target_remove): GDB
## says that the target is not running and has no process, and the start that the
## connection and its end try is logged twice (`what` names the connection)
proc gdb_connect_no_target {port what} {
	global no_binary
	gdb_check "target remote localhost:$port" \
		"Remote debugging using localhost:$port\nThe target is not running \\(try extended-remote\\?\\)\n" \
		"$what without a target"
	gdb_check "info inferiors" "\\* 1 +<null> +\[^\n\]*\n" "no process after $what"
	core_until $no_binary
	core_until $no_binary
}

## GDB connects to the monitor and finds the target stopped at its first instruction, in
## _start (`what` names the connection). A GDB whose target ended before (a signal, an
## exit) is told of the new one's stop as a SIGTRAP first: `after_end` 1 requires that line
proc gdb_connect_at_entry {port what {after_end 0}} {
	global hex
	set trap [expr {$after_end ? "\nProgram received signal SIGTRAP, Trace/breakpoint trap\\.\n" : ""}]
	gdb_check "target remote localhost:$port" "Remote debugging using localhost:$port\n$trap$hex in _start \\(\\)" \
		"$what: the target waits at its entry"
}

## GDB kills the target: GDB says so, and so does the monitor (`$target_killed`)
proc gdb_kill {} {
	global target_killed
	gdb_check "kill" "\\\[Inferior 1 \\(Remote target\\) killed\\\]" "kill"
	core_until $target_killed
}

## the content of the target's source `$source` (relative to the repository)
proc source_text {} {
	global run_root source
	set f [open [file join $run_root $source]]
	set text [read $f]
	close $f
	return $text
}

## the line of `text` in the target's source `$source`
proc source_line {text} {
	global source
	set lines [split [source_text] "\n"]
	set index [lsearch -glob $lines "*$text*"]
	if {$index < 0} { run_fail "no \"$text\" in $source" }
	return [expr {$index + 1}]
}

## wait for `re` from `id`, meanwhile reading core's lines (its pty must not fill) and
## checking them against the forbidden patterns; returns what `id` said up to the match
proc wait_for {id re what {seconds 10}} {
	global core_spawn_id output_log gdb_log core_lines
	set timeout $seconds
	expect {
		-i $core_spawn_id -re "(\[^\n\]*)\n" {
			append output_log $expect_out(0,string)
			set line [string trimright $expect_out(1,string) "\r"]
			check_forbidden $line ""
			lappend core_lines $line
			exp_continue -continue_timer
		}
		-i $id -re $re { set out $expect_out(buffer) }
		-i $id eof { run_fail "gdb ended while waiting for $what" }
		-i $core_spawn_id eof { run_fail "core ended while waiting for $what" }
		timeout {
			set said ""
			catch { set said $expect_out(buffer) }
			puts $gdb_log "$said\n(no $what)"
			run_fail "no $what within $seconds s; it said:\n$said"
		}
	}
	puts -nonewline $gdb_log [string map [list "\r\n" "\n"] $out]
	flush $gdb_log
	return [string map [list "\r\n" "\n"] $out]
}

## wait for a line of core's output that matches `re`, also among the lines that
## wait_for read meanwhile (those before it are passed over)
set core_lines {}
proc core_until {re {seconds 10}} {
	global core_lines core_spawn_id
	set index 0
	foreach line $core_lines {
		incr index
		if {[regexp -- $re $line]} {
			set core_lines [lrange $core_lines $index end]
			return $line
		}
	}
	set core_lines {}
	return [run_until $re $seconds $core_spawn_id]
}

## start GDB on `binary` (interactive, without pager and width) and wait for its first
## prompt; its spawn id is `$gdb_id`, what it said goes to $build_dir/run/<script>/gdb.log
proc gdb_start {binary} {
	global env gdb_id gdb_log spawn_id
	set env(TERM) dumb
	spawn gdb -nx -q -ex {set pagination off} -ex {set width 0} -ex {set height 0} \
		-ex {set confirm off} -ex {set style enabled off} $binary
	set gdb_id $spawn_id
	match_max -i $gdb_id 262144 ;# a backtrace of every thread is longer than the run tool's default
	file mkdir [run_dir]
	set gdb_log [open [file join [run_dir] gdb.log] w]
	wait_for $gdb_id {\(gdb\) $} "GDB's first prompt" 20
}

## a GDB command: its output up to the next prompt, without the echoed command
proc gdb {command {seconds 10}} {
	global gdb_id
	send -i $gdb_id -- "$command\r"
	set out [wait_for $gdb_id {\(gdb\) $} "prompt after \"$command\"" $seconds]
	set out [regsub {\(gdb\) $} $out ""]
	if {[string first "$command\n" $out] == 0} { set out [string range $out [string length "$command\n"] end] }
	return $out
}

## a GDB command whose output must match `re`; returns the match and its groups
proc gdb_check {command re what {seconds 10}} {
	set out [gdb $command $seconds]
	set match [regexp -inline -- $re $out]
	if {$match eq ""} { run_fail "$what: \"$command\" answered:\n$out\nnot /$re/" }
	return $match
}

## `monitor stats`: the groups that `re` (one line of it, without its line end) catches
proc monitor_stats {re} {
	return [lrange [gdb_check "monitor stats" "\n$re\n" "monitor stats"] 1 end]
}

proc ok {what} {
	global script_name
	puts "$script_name: $what: ok"
}
