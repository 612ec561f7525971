# Tandem -- one non-recursive Makefile (it calls itself only to build the
# same tree again with other flags, for the sanitizer and clang builds).
#
#   make            build the daemons and haadm into build/
#   make check      install missing Debian packages, build, run every test
#   make demo       install, build, bring up the lab and show the cluster
#   make bench      run the benchmarks (figures in test/bench/out/*.jsonl)
#   make fuzz       build the libFuzzer targets with clang and run each briefly
#   make install    DESTDIR and PREFIX honoured

PREFIX		?= /usr/local
DESTDIR		?=
SBINDIR		 = $(PREFIX)/sbin
SYSCONFDIR	?= /etc
MANDIR		 = $(PREFIX)/share/man
B		?= build
SAN		?=
FUZZ_SECONDS	?= 20

# The Debian 12 packages Tandem needs to build, test and run its lab.
# This is the one list; .ci/install-deps installs whatever is missing.
DEPS_DEB = gcc clang make libclang-rt-14-dev pkg-config \
	libssl-dev openssl libmnl-dev libev-dev libqb-dev libconfig-dev \
	libcunit1-dev corosync libcpg-dev libcorosync-common-dev \
	libquorum-dev libcmap-dev iproute2 procps kmod iputils-ping \
	user-mode-linux strongswan strongswan-swanctl \
	libcharon-extra-plugins libstrongswan-standard-plugins \
	libstrongswan-extra-plugins keepalived util-linux mandoc groff-base \
	python3-jsonschema

CFLAGS		?= -O2 -g
WARN		 = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
		   -Wmissing-prototypes -Wpointer-arith -Wno-unused-parameter
ifeq ($(SAN),1)
SANFLAGS	 = -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer
endif
ALL_CFLAGS	 = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(SANFLAGS) \
		   -Iinclude -MMD -MP
ALL_LDFLAGS	 = $(LDFLAGS) $(SANFLAGS)

LIBS_CORE	 = -lconfig -lmnl -lcrypto
LIBS_EDGE	 = -lev -lqb -lmnl $(LIBS_CORE)

# Pure cores go into libtandem_core.a (no libev, libqb, corosync, sockets);
# the unit tests link only that, OpenSSL, libconfig and CUnit.  The edge
# files -- event loops, sockets, netlink, logging -- are listed here.
LIB_EDGE	 = lib/log.c lib/daemon.c lib/sock.c lib/ctl_io.c
IKEV2D_EDGE	 = $(wildcard ikev2d/main.c ikev2d/loop.c ikev2d/xfrm.c \
		   ikev2d/xfrm_ops.c ikev2d/ctl.c ikev2d/sync_out.c \
		   ikev2d/sa_reload.c ikev2d/sa_live.c)
SYNCD_EDGE	 = $(wildcard syncd/main.c syncd/loop.c syncd/cpg.c \
		   syncd/aevent.c syncd/ringcheck.c syncd/ctl.c \
		   syncd/ctl_sas.c syncd/ike_sock.c syncd/live_push.c \
		   syncd/stats.c syncd/resync_op.c)
HAMGRD_EDGE	 = $(wildcard ha/hamgrd.c ha/loop.c ha/vrrp_io.c ha/vip.c \
		   ha/notify.c ha/ha_cpg.c ha/ike_cmd.c ha/hamgrd_ctl.c \
		   ha/track_io.c ha/handover.c ha/vmac.c)
HAADM_EDGE	 = $(wildcard ha/haadm*.c)

EDGE_ALL	 = $(LIB_EDGE) $(IKEV2D_EDGE) $(SYNCD_EDGE) $(HAMGRD_EDGE) \
		   $(HAADM_EDGE)
CORE_SRC	 = $(filter-out $(EDGE_ALL), $(wildcard lib/*.c ikev2d/*.c \
		   syncd/*.c ha/*.c))
EDGE_LIB_SRC	 = $(filter $(wildcard lib/*.c), $(LIB_EDGE))

obj		 = $(patsubst %.c,$(B)/obj/%.o,$(1))
CORE_A		 = $(B)/libtandem_core.a
EDGE_A		 = $(B)/libtandem.a

PROGS		 = $(B)/ikev2d $(B)/syncd $(B)/hamgrd $(B)/haadm
UNIT_SRC	 = $(wildcard test/unit/*.c)
UNIT		 = $(B)/unit

.PHONY: all check check-build unit sys-check lab-check demo deps tools \
	install clean fuzz fuzz-build fuzz-smoke bench check-man
all: $(PROGS)

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(CORE_A): $(call obj,$(CORE_SRC))
	@rm -f $@
	$(AR) rcs $@ $^

$(EDGE_A): $(call obj,$(EDGE_LIB_SRC))
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/ikev2d: $(call obj,$(IKEV2D_EDGE)) $(EDGE_A) $(CORE_A)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_EDGE)

$(B)/syncd: $(call obj,$(SYNCD_EDGE)) $(EDGE_A) $(CORE_A)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ -lcpg -lcmap -lcorosync_common $(LIBS_EDGE)

$(B)/hamgrd: $(call obj,$(HAMGRD_EDGE)) $(EDGE_A) $(CORE_A)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ -lcpg -lcorosync_common $(LIBS_EDGE)

$(B)/haadm: $(call obj,$(HAADM_EDGE)) $(EDGE_A) $(CORE_A)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_EDGE)

$(UNIT): $(call obj,$(UNIT_SRC)) $(CORE_A)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ -lcunit $(LIBS_CORE)

unit: $(UNIT)
	$(UNIT)

# --- the two commands of the README -----------------------------------

deps:
	@sh .ci/install-deps $(DEPS_DEB)

# `make check`: packages, gcc build, the man pages (check-man), unit
# tests, the same tests under ASan+UBSan (built with clang, which also
# proves the tree clang-clean), the fuzz smoke runs, then the lab tests in
# User-Mode Linux.
check: deps
	$(MAKE) --no-print-directory check-build
	$(MAKE) --no-print-directory check-man
	$(MAKE) --no-print-directory unit
	$(MAKE) --no-print-directory B=build/san SAN=1 CC=clang unit
	$(MAKE) --no-print-directory sys-check
	$(MAKE) --no-print-directory fuzz-smoke
	$(MAKE) --no-print-directory lab-check

check-build: $(PROGS) $(UNIT) tools

# Test-only programs (the lab's CPG tool ...); test/lab/lab.mk adds to it.
tools:

# The daemons as processes on the host: run directories, pid files, control
# sockets, signals, config errors, haadm exit codes.
sys-check: $(PROGS)
	bash test/sys/t_daemons.sh $(B)

# The manual pages: `mandoc -T lint` and groff, no warning allowed; every
# option of each program's --help and every key of lib/cfg*.c documented
# (test/sys/t_man.sh, a few seconds).
MAN_PAGES	 = ikev2d/ikev2d.8 syncd/syncd.8 ha/hamgrd.8 ha/haadm.8 \
		   etc/tandem.conf.5
check-man: $(PROGS)
	bash test/sys/t_man.sh $(B) $(MAN_PAGES)

demo: deps
	$(MAKE) --no-print-directory all tools
	sh test/lab/demo.sh

# --- fuzzing (clang + libFuzzer) ----------------------------------------

FUZZ_SRC	 = $(wildcard test/fuzz/fuzz_*.c)
FUZZ_B		 = build/fuzz
FUZZ_BIN	 = $(patsubst test/fuzz/%.c,$(FUZZ_B)/%,$(FUZZ_SRC))
# The pure cores are compiled once (coverage + sanitizers, no libFuzzer
# main) into one archive that every target links: nine targets each
# compiling every core source took ~4 of make check's minutes.
FUZZ_FLAGS	 = -std=c11 -D_GNU_SOURCE $(WARN) -g -O1 -Iinclude \
		   -fsanitize=fuzzer-no-link,address,undefined
FUZZ_LINK	 = -fsanitize=fuzzer,address,undefined
FUZZ_OBJ	 = $(patsubst %.c,$(FUZZ_B)/obj/%.o,$(CORE_SRC))

$(FUZZ_B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_FLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_B)/libcore.a: $(FUZZ_OBJ)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_B)/%: test/fuzz/%.c $(FUZZ_B)/libcore.a
	@mkdir -p $(FUZZ_B)
	clang $(FUZZ_FLAGS) $(FUZZ_LINK) -o $@ $< $(FUZZ_B)/libcore.a \
	    $(LIBS_CORE)

-include $(FUZZ_OBJ:.o=.d)

fuzz-build: $(FUZZ_BIN)

# Each target for FUZZ_SECONDS over its seed corpus (test/fuzz/corpus/NAME).
fuzz: $(FUZZ_BIN)
	@set -e; for f in $(FUZZ_BIN); do n=$$(basename $$f); \
	    mkdir -p build/fuzz/work/$$n; \
	    echo "fuzz $$n for $(FUZZ_SECONDS)s"; \
	    $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        build/fuzz/work/$$n test/fuzz/corpus/$$n; done

# make check runs every fuzz target briefly; CI runs `make fuzz` longer.
fuzz-smoke:
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(or $(FUZZ_CHECK_SECONDS),30)

# --- benchmarks -----------------------------------------------------------

BENCH_SRC	 = $(wildcard test/bench/bench_*.c)
BENCH_BIN	 = $(patsubst test/bench/bench_%.c,$(B)/bench/%,$(BENCH_SRC))
BENCH_NAMES	 = $(patsubst test/bench/bench_%.c,%,$(BENCH_SRC))

$(B)/bench/%: test/bench/bench_%.c test/bench/bench.c $(CORE_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O2 -o $@ $< test/bench/bench.c $(CORE_A) $(LIBS_CORE)

bench-%: $(B)/bench/%
	@mkdir -p test/bench/out
	$< test/bench/out/$*.jsonl

bench: $(addprefix bench-,$(BENCH_NAMES))

# Replication between two nodes in host network namespaces (root; brings
# up its own lab instance "bench"): test/bench/bench_cpg.sh.
$(B)/bench/cpgload: test/bench/cpgload.c test/bench/bench.c $(CORE_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O2 -o $@ $< test/bench/bench.c $(CORE_A) $(LIBS_CORE)

bench-cpg: $(B)/bench/cpgload $(B)/syncd $(B)/haadm tools
	@mkdir -p test/bench/out
	bash test/bench/bench_cpg.sh $(B) test/bench/out/cpg.jsonl

bench: bench-cpg

# Crash takeover and planned handover with N = 1, 100, 1000 SAs
# (BENCH_TAKEOVER_N), inside UML: real XFRM, a strongSwan peer, ikeload.
bench-takeover-lab: all tools
	@mkdir -p test/bench/out
	rm -rf $(B)/bench-lab
	LAB_B=$(B) LAB_RUNS=$(abspath $(B)/bench-lab) LAB_KEEP=1 \
	    LAB_TIMEOUT=$${BENCH_TAKEOVER_TIMEOUT:-1500} \
	    LAB_TAKEOVER_N="$${BENCH_TAKEOVER_N:-1 100 1000}" \
	    bash test/lab/uml-run.sh test/bench/takeover_lab.sh takeover_lab.jsonl
	cp $(B)/bench-lab/run.*/results/takeover_lab.jsonl test/bench/out/
	rm -rf $(B)/bench-lab

bench: bench-takeover-lab

# IKE SA establishment rate with replication on vs off (host namespaces,
# ikev2d --no-kernel; root): test/bench/bench_ike_repl.sh.
bench-ike-repl: $(B)/ikev2d $(B)/syncd $(B)/haadm tools
	@mkdir -p test/bench/out
	bash test/bench/bench_ike_repl.sh $(B) test/bench/out/ike_repl.jsonl

bench: bench-ike-repl

# --- lab (network namespaces inside User-Mode Linux) ----------------------
-include test/lab/lab.mk

# --- install --------------------------------------------------------------

install: $(PROGS)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(SYSCONFDIR)/tandem
	install -m 0755 $(PROGS) $(DESTDIR)$(SBINDIR)/
	install -m 0640 etc/tandem.conf $(DESTDIR)$(SYSCONFDIR)/tandem/tandem.conf.sample
	install -m 0640 etc/corosync.conf $(DESTDIR)$(SYSCONFDIR)/tandem/corosync.conf.sample
	install -m 0640 etc/tandem-hub-b.conf $(DESTDIR)$(SYSCONFDIR)/tandem/tandem-hub-b.conf.sample
	install -d $(DESTDIR)$(PREFIX)/share/tandem
	install -m 0644 ha/haadm-status.schema.json $(DESTDIR)$(PREFIX)/share/tandem/
	install -d $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	install -m 0644 $(filter %.5,$(MAN_PAGES)) $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 $(filter %.8,$(MAN_PAGES)) $(DESTDIR)$(MANDIR)/man8/
	install -d $(DESTDIR)$(PREFIX)/lib/systemd/system
	for u in etc/systemd/*.service; do \
	    sed 's|/usr/local/sbin|$(SBINDIR)|g' $$u > \
	        $(DESTDIR)$(PREFIX)/lib/systemd/system/$$(basename $$u); \
	done

clean:
	rm -rf build

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# --- test tools built from the daemons' own code ---------------------------
tools: $(B)/tools/xfrmtool

$(B)/tools/xfrmtool: $(B)/obj/test/tools/xfrmtool.o $(B)/obj/ikev2d/xfrm.o $(CORE_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_CORE)

# --- IKE responder benchmark: ikev2d against strongSwan's charon -----------
# ikeload (test/bench/ikeload.c) is the initiator: ikev2d's protocol core
# with kernel_null_ops and real UDP sockets.  bench-responder runs both
# responders side by side in network namespaces (root; see responder.sh).
tools: $(B)/tools/ikeload

$(B)/tools/ikeload: test/bench/ikeload.c $(CORE_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O2 -o $@ test/bench/ikeload.c $(CORE_A) \
	    $(LIBS_CORE)

# syncdump (test/tools/syncdump.c): a syncd's records, one line each, keys
# as hashes -- lab tests compare two nodes' copies field by field.
tools: $(B)/tools/syncdump

$(B)/tools/syncdump: test/tools/syncdump.c $(EDGE_A) $(CORE_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ test/tools/syncdump.c $(EDGE_A) $(CORE_A) \
	    $(LIBS_CORE)

bench-responder: $(B)/ikev2d $(B)/tools/ikeload
	@mkdir -p test/bench/out
	bash test/bench/responder.sh $(B) test/bench/out/responder.jsonl

bench: bench-responder
