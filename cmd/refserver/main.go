// Command refserver serves the reference implementation of the e-RS
// professional session endpoints and the HPI PractitionerRole endpoints,
// for running the suite against it as a separate process or container.
// Each flag may also be set by an environment variable, which is how a
// container is configured.
//
//	refserver [--addr 127.0.0.1:8080] [--mutants name,...] [--choices name,...] [--usage-plan 5/5]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/healthapi-conformance/conformance/refserver"
)

func main() {
	addr := flag.String("addr", env("REFSERVER_ADDR", "127.0.0.1:8080"), "address to listen on ($REFSERVER_ADDR)")
	mutants := flag.String("mutants", env("REFSERVER_MUTANTS", ""), "documented rules to break on purpose, comma-separated ($REFSERVER_MUTANTS)")
	choices := flag.String("choices", env("REFSERVER_CHOICES", ""), "behaviours the docs allow, taken the other way, comma-separated ($REFSERVER_CHOICES)")
	plan := flag.String("usage-plan", env("REFSERVER_USAGE_PLAN", ""), "HPI usage plan per API key as PERSECOND/BURST, e.g. 5/5 ($REFSERVER_USAGE_PLAN)")
	flag.Parse()
	ms, err := refserver.ParseMutants(*mutants)
	if err != nil {
		fmt.Fprintln(os.Stderr, "refserver:", err)
		os.Exit(2)
	}
	cs, err := refserver.ParseChoices(*choices)
	if err != nil {
		fmt.Fprintln(os.Stderr, "refserver:", err)
		os.Exit(2)
	}
	up, err := parsePlan(*plan)
	if err != nil {
		fmt.Fprintln(os.Stderr, "refserver: --usage-plan:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := refserver.Start(ctx, *addr, refserver.Options{Mutants: ms, Choices: cs, UsagePlan: up, AccessLog: os.Stderr})
	if err != nil {
		fmt.Fprintln(os.Stderr, "refserver:", err)
		os.Exit(1)
	}
	fmt.Fprintln(os.Stderr, "refserver: listening on", srv.URL)
	if err := srv.Wait(); err != nil {
		fmt.Fprintln(os.Stderr, "refserver:", err)
		os.Exit(1)
	}
}

func env(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return fallback
}

// parsePlan reads "PERSECOND/BURST"; empty means no plan.
func parsePlan(s string) (refserver.UsagePlan, error) {
	if s == "" {
		return refserver.UsagePlan{}, nil
	}
	rate, burst, ok := strings.Cut(s, "/")
	r, err1 := strconv.ParseFloat(rate, 64)
	b, err2 := strconv.Atoi(burst)
	if !ok || err1 != nil || err2 != nil || r < 0 || b < 0 {
		return refserver.UsagePlan{}, fmt.Errorf("%q is not PERSECOND/BURST, e.g. 5/5", s)
	}
	return refserver.UsagePlan{Rate: r, Burst: b}, nil
}
