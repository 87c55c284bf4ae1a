// Command startprobe measures the mock's start-up: the time from exec to
// the first successful answer of /_mock/ready, over several runs, and
// prints the median. Used by scripts/loadbench.
//
//	startprobe bin/mockserver 11
package main

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"time"
)

func main() {
	runs, _ := strconv.Atoi(os.Args[2])
	var took []time.Duration
	for range runs {
		d, err := once(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, "startprobe:", err)
			os.Exit(1)
		}
		took = append(took, d)
	}
	slices.Sort(took)
	fmt.Printf("loadbench: start-up to ready, median of %d: %v (min %v, max %v)\n",
		runs, took[len(took)/2].Round(100*time.Microsecond), took[0].Round(100*time.Microsecond), took[len(took)-1].Round(100*time.Microsecond))
}

// once starts the binary on a free port, polls readiness as soon as the
// port is known, and stops it.
func once(bin string) (time.Duration, error) {
	cmd := exec.Command(bin, "--addr", "127.0.0.1:0")
	stderr, _ := cmd.StderrPipe()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	sc := bufio.NewScanner(stderr)
	re := regexp.MustCompile(`url=(http://\S+)`)
	url := ""
	for url == "" && sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			url = m[1]
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	client := &http.Client{Timeout: time.Second}
	for time.Since(start) < 10*time.Second {
		if res, err := client.Get(url + "/_mock/ready"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return time.Since(start), nil
			}
		}
		time.Sleep(200 * time.Microsecond)
	}
	return 0, fmt.Errorf("not ready within 10s")
}
