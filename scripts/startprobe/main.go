// Command startprobe measures the mock's start-up: the time from exec to
// the first successful answer of /_mock/ready, over several runs, and
// prints the median with the range. Used by scripts/loadbench.
//
// Given several binaries, it runs them in turn, run by run, and prints the
// figures of each: a before and after measured in the same minutes.
//
// It also prints when the "listening" log line arrived (everything before
// it is the runtime, package initialisation and building the data), and
// with -inittrace it makes as many runs again with GODEBUG=inittrace=1 and
// prints how long package initialisation took in all and the packages that
// took longest (medians). Those runs are not counted in the start-up figure:
// the trace itself costs time.
//
//	startprobe [-inittrace] bin/mockserver 21
//	startprobe /tmp/before/mockserver /tmp/after/mockserver 41
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	inittrace := flag.Bool("inittrace", false, "also measure package initialisation (GODEBUG=inittrace=1)")
	flag.Parse()
	if flag.NArg() < 2 {
		fmt.Fprintln(os.Stderr, "usage: startprobe [-inittrace] BINARY... RUNS")
		os.Exit(2)
	}
	bins := flag.Args()[:flag.NArg()-1]
	runs, err := strconv.Atoi(flag.Arg(flag.NArg() - 1))
	if err != nil || runs < 1 {
		fmt.Fprintln(os.Stderr, "startprobe: RUNS must be a positive number")
		os.Exit(2)
	}
	// Several binaries take turns, run by run, so that a change in the
	// machine's load falls on each alike.
	ready := make([][]time.Duration, len(bins))
	listening := make([][]time.Duration, len(bins))
	for range runs {
		for i, bin := range bins {
			r, err := once(bin, false)
			if err != nil {
				fmt.Fprintln(os.Stderr, "startprobe:", err)
				os.Exit(1)
			}
			ready[i] = append(ready[i], r.ready)
			listening[i] = append(listening[i], r.listening)
		}
	}
	for i, bin := range bins {
		name := ""
		if len(bins) > 1 {
			name = " " + bin + ":"
		}
		fmt.Printf("loadbench:%s start-up to ready, median of %d: %s\n", name, runs, spread(ready[i]))
		fmt.Printf("loadbench:%s start-up to the listening log line:   %s\n", name, spread(listening[i]))
	}
	if !*inittrace {
		return
	}
	total := make([][]time.Duration, len(bins))
	perPkg := make([]map[string][]time.Duration, len(bins))
	for i := range bins {
		perPkg[i] = map[string][]time.Duration{}
	}
	for range runs {
		for i, bin := range bins {
			r, err := once(bin, true)
			if err != nil {
				fmt.Fprintln(os.Stderr, "startprobe:", err)
				os.Exit(1)
			}
			var sum time.Duration
			for pkg, d := range r.inits {
				sum += d
				perPkg[i][pkg] = append(perPkg[i][pkg], d)
			}
			total[i] = append(total[i], sum)
		}
	}
	for i, bin := range bins {
		name := ""
		if len(bins) > 1 {
			name = " " + bin + ":"
		}
		fmt.Printf("loadbench:%s package initialisation (inittrace clock, summed): %s\n", name, spread(total[i]))
		type pkgTime struct {
			pkg    string
			median time.Duration
		}
		var pkgs []pkgTime
		for pkg, ds := range perPkg[i] {
			for len(ds) < runs {
				ds = append(ds, 0) // a run that did not report it
			}
			slices.Sort(ds)
			pkgs = append(pkgs, pkgTime{pkg, ds[len(ds)/2]})
		}
		slices.SortFunc(pkgs, func(a, b pkgTime) int { return int(b.median - a.median) })
		for _, p := range pkgs[:min(8, len(pkgs))] {
			fmt.Printf("loadbench:   init %-50s %v\n", p.pkg, p.median.Round(10*time.Microsecond))
		}
	}
}

// spread formats the median and the range of a set of durations.
func spread(ds []time.Duration) string {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	r := func(d time.Duration) time.Duration { return d.Round(100 * time.Microsecond) }
	return fmt.Sprintf("%v (min %v, max %v)", r(ds[len(ds)/2]), r(ds[0]), r(ds[len(ds)-1]))
}

type result struct {
	ready, listening time.Duration
	inits            map[string]time.Duration // package → init clock, with -inittrace
}

var (
	reURL  = regexp.MustCompile(`url=(http://\S+)`)
	reInit = regexp.MustCompile(`^init (\S+) @[0-9.]+ ms, ([0-9.]+) ms clock`)
)

// once starts the binary on a free port, polls readiness as soon as the
// port is known, and stops it.
func once(bin string, inittrace bool) (result, error) {
	res := result{inits: map[string]time.Duration{}}
	cmd := exec.Command(bin, "--addr", "127.0.0.1:0")
	if inittrace {
		cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return res, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, err
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	sc := bufio.NewScanner(stderr)
	url := ""
	for url == "" && sc.Scan() {
		line := sc.Text()
		if m := reURL.FindStringSubmatch(line); m != nil {
			url = m[1]
			res.listening = time.Since(start)
		} else if m := reInit.FindStringSubmatch(line); m != nil {
			ms, _ := strconv.ParseFloat(m[2], 64)
			res.inits[strings.TrimPrefix(m[1], "github.com/")] += time.Duration(ms * float64(time.Millisecond))
		}
	}
	if url == "" {
		return res, fmt.Errorf("%s printed no listening line", bin)
	}
	go func() {
		for sc.Scan() {
		}
	}()
	client := &http.Client{Timeout: time.Second}
	for time.Since(start) < 10*time.Second {
		if resp, err := client.Get(url + "/_mock/ready"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				res.ready = time.Since(start)
				return res, nil
			}
		}
		time.Sleep(200 * time.Microsecond)
	}
	return res, fmt.Errorf("not ready within 10s")
}
