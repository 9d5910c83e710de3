// Package scalechart draws the scale chart of docs/performance.md from the
// JSON lines that cmd/kmsbench/scale.sh writes (one kmsbench result per
// line): create-key throughput, and the median latency of a first and of a
// deep list-keys page, against the number of keys in the project, one line
// per store backend.
package scalechart

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Result is the part of a kmsbench JSON line the chart reads.
type Result struct {
	Op          string  `json:"op"`
	Depth       int     `json:"depth"`
	ProjectKeys int     `json:"project_keys"`
	RPS         float64 `json:"rps"`
	P50Ms       float64 `json:"p50_ms"`
}

// Series is the results of one backend.
type Series struct {
	Name    string // e.g. "SQLite"
	Results []Result
}

// Read parses JSON lines; lines of other operations (startup) are kept and
// ignored by the chart.
func Read(r io.Reader) ([]Result, error) {
	var out []Result
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var res Result
		if err := json.Unmarshal(sc.Bytes(), &res); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, res)
	}
	return out, sc.Err()
}

// points returns (project keys, value) of the results that keep selects,
// ordered by keys.
func points(rs []Result, keep func(Result) bool, value func(Result) float64) plotter.XYs {
	var xy plotter.XYs
	for _, r := range rs {
		if keep(r) && r.ProjectKeys > 0 {
			xy = append(xy, plotter.XY{X: float64(r.ProjectKeys), Y: value(r)})
		}
	}
	slices.SortFunc(xy, func(a, b plotter.XY) int { return int(a.X - b.X) })
	return xy
}

// WritePNG draws the two panels side by side (width × height) as PNG.
func WritePNG(w io.Writer, series []Series, width, height vg.Length) error {
	create := plot.New()
	create.Title.Text = "create-key, 8 connections"
	create.Y.Label.Text = "requests/s"
	list := plot.New()
	list.Title.Text = "list-keys (limit 10), median"
	list.Y.Label.Text = "ms"
	for _, p := range []*plot.Plot{create, list} {
		p.X.Label.Text = "keys in the project"
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
		p.Y.Min = 0
		p.Legend.Left = true // bottom left, under the lines of a throughput that holds
	}
	var createLines, listLines []any
	for _, s := range series {
		createLines = append(createLines, s.Name,
			points(s.Results, func(r Result) bool { return r.Op == "create-key" }, func(r Result) float64 { return r.RPS }))
		listLines = append(listLines,
			s.Name+" first page", points(s.Results, func(r Result) bool { return r.Op == "list-keys" && r.Depth == 0 },
				func(r Result) float64 { return r.P50Ms }),
			s.Name+" page at 90 %", points(s.Results, func(r Result) bool { return r.Op == "list-keys" && r.Depth > 0 },
				func(r Result) float64 { return r.P50Ms }))
	}
	if err := plotutil.AddLinePoints(create, createLines...); err != nil {
		return err
	}
	if err := plotutil.AddLinePoints(list, listLines...); err != nil {
		return err
	}
	for _, p := range []*plot.Plot{create, list} {
		p.Y.Max *= 1.15 // room above the highest point
	}
	img := vgimg.New(width, height)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Millimeter * 4, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2,
		PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	create.Draw(tiles.At(dc, 0, 0))
	list.Draw(tiles.At(dc, 1, 0))
	_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
	return err
}
