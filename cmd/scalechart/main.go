// Command scalechart draws docs/performance-scale.png from the results of
// cmd/kmsbench/scale.sh:
//
//	scalechart -o docs/performance-scale.png SQLite=/tmp/x/scale-sqlite.jsonl PostgreSQL=/tmp/y/scale-postgres.jsonl
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"gonum.org/v1/plot/vg"

	"github.com/kmsd/kmsd/internal/scalechart"
)

func main() {
	out := flag.String("o", "performance-scale.png", "PNG file to write")
	flag.Parse()
	if err := run(*out, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "scalechart:", err)
		os.Exit(1)
	}
}

// run reads each NAME=FILE argument as one series and writes the chart.
func run(out string, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: scalechart [-o FILE.png] NAME=RESULTS.jsonl [NAME=RESULTS.jsonl]")
	}
	var series []scalechart.Series
	for _, a := range args {
		name, path, ok := strings.Cut(a, "=")
		if !ok {
			return fmt.Errorf("%q: want NAME=FILE", a)
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		rs, err := scalechart.Read(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		series = append(series, scalechart.Series{Name: name, Results: rs})
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := scalechart.WritePNG(f, series, 24*vg.Centimeter, 9*vg.Centimeter); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
