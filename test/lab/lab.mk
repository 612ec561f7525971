# test/lab/lab.mk -- the network-namespace lab, included by the Makefile.
#
#   make tools       build the lab's C tools into $(B)/tools/
#   make lab-check   boot User-Mode Linux once and run test/lab/t_*.sh in it
#   make demo        (recipe in the Makefile) runs test/lab/demo.sh
#
# The tools link only corosync's client libraries: nothing here depends on
# the project's own sources, so the lab builds even while lib/ is in flux.

LAB_TOOL_NAMES	 = cpgping qwait espseen
LAB_TOOL_BINS	 = $(addprefix $(B)/tools/,$(LAB_TOOL_NAMES))

.PHONY: tools lab-check

# Prerequisites only: make merges them with any `tools:` rule elsewhere.
tools: $(LAB_TOOL_BINS)

$(B)/tools/cpgping: LAB_TOOL_LIBS = -lcpg -lcorosync_common
$(B)/tools/qwait: LAB_TOOL_LIBS = -lquorum -lcorosync_common

$(LAB_TOOL_BINS): $(B)/tools/%: test/lab/tools/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LAB_TOOL_LIBS)

# One UML boot runs every test; uml-run.sh exits with the runner's status.
# Deadlines: the whole boot and each test.  The suite takes 7-8 minutes
# on a loaded 2-core machine (t_ike_matrix alone ~150 s); the margins are
# for a slower CI machine, not for hiding hangs (each test still has one).
LAB_CHECK_TIMEOUT	?= 1500
LAB_CHECK_TEST_TIMEOUT	?= 360

lab-check: tools
	LAB_B=$(B) LAB_TIMEOUT=$(LAB_CHECK_TIMEOUT) \
	    LAB_TEST_TIMEOUT=$(LAB_CHECK_TEST_TIMEOUT) \
	    bash test/lab/uml-run.sh test/lab/run-tests.sh

# The Makefile's demo recipe runs `sh test/lab/demo.sh`: tell it where
# the tools were built.
demo: export LAB_B = $(B)
