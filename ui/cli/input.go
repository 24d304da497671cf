package cli

import (
	"context"
	"io"
)

// readAllOrCancel reads in to its end, at most limit bytes, unless ctx ends
// first. A read from a terminal cannot be interrupted portably, so it runs in
// a goroutine that is left behind when ctx ends: the commands that read
// standard input exit right after, and Ctrl+C must not wait for Ctrl+D.
func readAllOrCancel(ctx context.Context, in io.Reader, limit int64) ([]byte, error) {
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1) // the abandoned reader must not block on send
	go func() {
		data, err := io.ReadAll(io.LimitReader(in, limit))
		done <- result{data, err}
	}()
	select {
	case res := <-done:
		return res.data, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
