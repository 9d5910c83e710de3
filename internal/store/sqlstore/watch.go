package sqlstore

import (
	"context"
	"sync"

	"github.com/kmsd/kmsd/internal/store"
)

// watchBuffer is the capacity of each watcher's channel.
const watchBuffer = 256

// hub fans changes out to watchers without ever blocking the publisher.
//
// When a watcher's channel is about to fill, its last free slot receives a
// ChangeAll and the watcher enters overflow mode: further changes are dropped
// until the channel has drained (so the ChangeAll, the last value queued, has
// been received). Consumers acting on that ChangeAll reload state committed
// after every dropped change, so nothing is lost.
type hub struct {
	mu     sync.Mutex
	subs   map[*watcher]struct{}
	closed bool
}

type watcher struct {
	ch       chan store.Change
	overflow bool
	stop     func() bool // stops the context.AfterFunc
}

func (h *hub) init() { h.subs = make(map[*watcher]struct{}) }

func (h *hub) subscribe(ctx context.Context) <-chan store.Change {
	w := &watcher{ch: make(chan store.Change, watchBuffer)}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || ctx.Err() != nil {
		close(w.ch)
		return w.ch
	}
	h.subs[w] = struct{}{}
	w.stop = context.AfterFunc(ctx, func() { h.unsubscribe(w) })
	return w.ch
}

func (h *hub) unsubscribe(w *watcher) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[w]; ok {
		delete(h.subs, w)
		close(w.ch)
	}
}

func (h *hub) publish(changes ...store.Change) {
	if len(changes) == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for w := range h.subs {
		for _, c := range changes {
			w.send(c)
		}
	}
}

// send queues c without blocking; only the publisher (holding the hub lock)
// sends, so a length check followed by a send cannot block.
func (w *watcher) send(c store.Change) {
	if w.overflow {
		if len(w.ch) > 0 {
			return // the queued ChangeAll covers c
		}
		w.overflow = false
	}
	if len(w.ch) >= cap(w.ch)-1 {
		w.ch <- store.Change{Kind: store.ChangeAll}
		w.overflow = true
		return
	}
	w.ch <- c
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for w := range h.subs {
		w.stop()
		close(w.ch)
	}
	h.subs = nil
}
