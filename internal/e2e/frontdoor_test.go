package e2e

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"

	"github.com/kmsd/kmsd/internal/config"
)

// TestOversizedHeadersCannotExhaustMemory opens hundreds of unauthenticated
// connections that each send a 1 MiB header and never finish it. kmsd reads
// at most a few KiB of each (answering 431), so its memory stays bounded,
// and a legitimate SDK client is served meanwhile.
func TestOversizedHeadersCannotExhaustMemory(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("RSS is read from /proc/self/status")
	}
	nd := startNode(t)
	const conns = 300
	pad := bytes.Repeat([]byte("a"), 1<<20) // shared: the client side costs no memory per connection
	runtime.GC()
	before := rssBytes(t)
	var wg sync.WaitGroup
	for range conns {
		c := dial(t, nd)
		wg.Go(func() {
			c.SetWriteDeadline(time.Now().Add(5 * time.Second))
			io.WriteString(c, "POST "+kmsPath("create-key")+" HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ")
			c.Write(pad) // fails once kmsd stops reading: that is the point
		})
	}
	wg.Wait()
	growth := rssBytes(t) - before
	t.Logf("RSS before %d MiB, after %d half-open 1 MiB headers %d MiB (growth %d MiB)",
		before>>20, conns, (before+growth)>>20, growth>>20)
	if _, err := nd.client().ShowUserInstances(&model.ShowUserInstancesRequest{}); err != nil {
		t.Fatalf("legitimate client not served: %v", err)
	}
	// Unbounded, the headers alone are 300 MiB; bounded, a few MiB.
	if growth > 100<<20 {
		t.Fatalf("RSS grew by %d MiB", growth>>20)
	}
}

// TestHeaderLimitAnswers431 sends one complete request whose header block
// is larger than the limit.
func TestHeaderLimitAnswers431(t *testing.T) {
	nd := startNode(t)
	c := dial(t, nd)
	io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: "+
		strings.Repeat("a", 2*config.DefaultMaxHeaderBytes)+"\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	status, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || !strings.Contains(status, " 431 ") {
		t.Fatalf("status line %q (%v), want 431", status, err)
	}
	// A header block just under the limit is served.
	st, _, body := nd.do("GET", "/healthz", "", false, map[string]string{"X-Pad": strings.Repeat("a", config.DefaultMaxHeaderBytes/2)})
	if st != http.StatusOK {
		t.Fatalf("header under the limit: %d %s", st, body)
	}
}

// TestConnectionCap fills a node's connection slots with clients that never
// finish a request: a further client waits (it is not served) until one of
// them goes away.
func TestConnectionCap(t *testing.T) {
	const slots = 8
	nd := startNode(t, func(c *config.Config) { c.Limits.MaxConnections = slots })
	var held []net.Conn
	for range slots {
		c := dial(t, nd)
		io.WriteString(c, "GET /healthz HTTP/1.1\r\n") // and nothing more
		held = append(held, c)
	}
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	quick := &http.Client{Timeout: 300 * time.Millisecond, Transport: tr}
	if resp, err := quick.Get(nd.url + "/healthz"); err == nil {
		resp.Body.Close()
		t.Fatalf("served (%d) while %d connections hold every slot", resp.StatusCode, slots)
	}
	held[0].Close()
	patient := &http.Client{Timeout: 10 * time.Second, Transport: tr}
	resp, err := patient.Get(nd.url + "/healthz")
	if err != nil {
		t.Fatalf("not served after a slot freed: %v", err)
	}
	resp.Body.Close()
}

// dial opens a raw TCP connection to nd, closed when the test ends.
func dial(t *testing.T, nd *node) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(nd.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// rssBytes is the resident set size of this process (which runs the node).
func rssBytes(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("VmRSS %q: %v", rest, err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmRSS line")
	return 0
}
