// Command refserver serves the reference implementation of the e-RS
// professional session endpoints, for running the suite against it as a
// separate process or container.
//
//	refserver [--addr 127.0.0.1:8080] [--mutants name,...]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/healthapi-conformance/conformance/refserver"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	mutants := flag.String("mutants", "", "documented rules to break on purpose (comma-separated)")
	flag.Parse()
	ms, err := refserver.ParseMutants(*mutants)
	if err != nil {
		fmt.Fprintln(os.Stderr, "refserver:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := refserver.Start(ctx, *addr, refserver.Options{Mutants: ms})
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
