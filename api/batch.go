package api

import (
	"context"
	"errors"
	"strings"
	"sync"
)

// batchResult is one batch's answer or failure.
type batchResult struct {
	ids  []JobID
	resp Response
	call Call
	err  error
}

// status splits ids into BatchSize calls, runs at most Concurrency at once
// and merges the answers back in the asked order. Failed batches leave their
// jobs with Err set and are listed in Failures; only when every batch failed
// (or there was nothing to ask) is an error returned, with the Result.
func (c *Client) status(ctx context.Context, m Method, ids []JobID) (*Result, error) {
	res := &Result{Method: m, Jobs: make([]JobStatus, 0, len(ids))}
	if len(ids) == 0 {
		return res, errors.New("no job IDs to ask for")
	}
	var batches []batchResult
	for start := 0; start < len(ids); start += c.opts.BatchSize {
		batches = append(batches, batchResult{ids: ids[start:min(start+c.opts.BatchSize, len(ids))]})
	}
	rec := &callRecorder{}
	c.runBatches(ctx, OperationOf(m), batches, rec)
	res.Calls = rec.all()
	answered, allTrue := false, true
	for i := range batches {
		ok, returned := c.collect(res, m, &batches[i])
		answered = answered || ok
		allTrue = allTrue && (!ok || returned)
	}
	res.Return = answered && allTrue
	if len(res.Failures) == len(batches) {
		return res, res.Failures[0].Err
	}
	return res, nil
}

// runBatches asks for every batch, Concurrency at a time; each batch keeps
// its own answer or error.
func (c *Client) runBatches(ctx context.Context, op Operation, batches []batchResult, rec *callRecorder) {
	next := make(chan int, len(batches))
	for i := range batches {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(c.opts.Concurrency, len(batches)) {
		wg.Go(func() {
			for i := range next {
				b := &batches[i]
				if err := ctx.Err(); err != nil {
					b.err = err
					continue
				}
				jobs := make([]string, len(b.ids))
				for k, id := range b.ids {
					jobs[k] = string(id)
				}
				b.resp, b.call, b.err = c.call(ctx, op, jobs, rec)
			}
		})
	}
	wg.Wait()
}

// collect adds one batch's jobs to res, in the order asked. answered says
// the server answered the batch (a call-level refusal included); returned
// is its return flag then.
func (c *Client) collect(res *Result, m Method, b *batchResult) (answered, returned bool) {
	ci := CallInfo{Return: b.err == nil, Call: b.call}
	var ce *CallError
	if b.err == nil || errors.As(b.err, &ce) {
		answered, returned = true, b.resp.Return
		ci.WSError = WSError{Code: b.resp.WSError.Code, Message: clean(c.scrub(b.resp.WSError.Message), maxFieldText)}
		if res.WSError.IsZero() && !ci.WSError.IsZero() {
			res.WSError = ci.WSError
		}
	}
	if b.err != nil {
		res.Failures = append(res.Failures, BatchError{IDs: b.ids, Err: b.err})
		for _, id := range b.ids {
			res.Jobs = append(res.Jobs, JobStatus{JobID: id, Call: ci, Err: b.err})
		}
		return answered, returned
	}
	match := matchItems(b.ids, b.resp.Items)
	for k, id := range b.ids {
		mk := match[k]
		if mk.item < 0 {
			res.Jobs = append(res.Jobs, JobStatus{JobID: id, State: StateNoAnswer, Call: ci})
			continue
		}
		conflict := conflictText(b.resp.Items, mk)
		if p := b.resp.Items[mk.item].Problem; p != "" {
			err := &ItemError{Reason: clean(c.scrub(p), maxSnippet)}
			res.Jobs = append(res.Jobs, JobStatus{JobID: id, State: StateNoAnswer, Call: ci, Err: err, Conflict: conflict})
			continue
		}
		js := c.jobFromItem(id, m, &b.resp.Items[mk.item], ci)
		js.Conflict = conflict
		res.Jobs = append(res.Jobs, js)
	}
	return answered, returned
}

// jobFromItem applies the trust boundary: every string scrubbed of
// credentials, sanitised and bounded.
func (c *Client) jobFromItem(id JobID, m Method, it *WireItem, ci CallInfo) JobStatus {
	js := JobStatus{
		JobID:       id,
		FaxJobID:    clean(c.scrub(it.FaxJobID), maxIDText),
		StatusID:    it.StatusID,
		Description: clean(c.scrub(it.Description), maxFieldText),
		Error:       WSError{Code: it.Error.Code, Message: clean(c.scrub(it.Error.Message), maxFieldText)},
		State:       StateOf(it.StatusID, it.Error.Code),
		Call:        ci,
	}
	if m != MethodGetFaxStatus {
		js.Details = &Details{
			Method:         m,
			RecipientState: it.RecipientState,
			PagesSent:      it.PagesSent,
			PagesTotal:     it.PagesTotal,
			DeliveredAt:    clean(c.scrub(it.DeliveredAt), 64),
			DurationS:      it.DurationS,
			RemoteCSID:     clean(c.scrub(it.RemoteCSID), 64),
			ReferenceID:    clean(c.scrub(it.ReferenceID), maxIDText),
		}
	}
	return js
}

// itemKey normalises an answered FaxJobId like ParseJobID does, so br IDs
// match case-insensitively and JRI- references exactly.
func itemKey(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case startsBr(s):
		return strings.ToLower(s)
	case startsJRI(s):
		return jriPrefix + s[4:]
	}
	return s
}

// matchItems gives, per asked ID, its item (-1 for none) and the items of
// the same job that disagreed with it. Items are matched by FaxJobId first;
// left-over items then go in order to left-over JRI- look-ups (answered with
// the job's br ID), and items without an ID to any left-over request. An
// item for a br ID that was not asked for is never taken as the answer for
// another br ID. Extra items are ignored.
//
// When the answer holds several items for one job (one FaxJobId), the most
// final is taken (see moreFinal) and those that disagree with it go with it,
// so none of them answers another look-up; items that agree with it stay
// free, as a JRI- look-up of the same job is answered with the same br ID.
func matchItems(ids []JobID, items []WireItem) []itemMatch {
	m := matcher{items: items, match: make([]itemMatch, len(ids)), used: make([]bool, len(items)),
		byKey: make(map[string][]int, len(items))}
	for j := range items {
		k := itemKey(items[j].FaxJobID)
		m.byKey[k] = append(m.byKey[k], j)
	}
	for i, id := range ids {
		m.match[i] = itemMatch{item: -1}
		if q := m.unused(m.byKey[string(id)]); len(q) > 0 {
			m.take(i, q, id)
		}
	}
	for i, id := range ids {
		if m.match[i].item < 0 {
			m.takeLeftover(i, id)
		}
	}
	return m.match
}

// matcher pairs asked IDs with an answer's items.
type matcher struct {
	items            []WireItem
	match            []itemMatch
	used             []bool
	byKey            map[string][]int // item indexes by FaxJobId
	anyCur, emptyCur int              // where the left-over searches stand
}

// take gives ask i the most final item of group; the items of group that
// disagree with it go with it, so no other ask takes them.
func (m *matcher) take(i int, group []int, asked JobID) {
	best := group[0]
	for _, j := range group[1:] {
		if moreFinal(&m.items[j], &m.items[best], asked) {
			best = j
		}
	}
	m.match[i] = itemMatch{item: best}
	m.used[best] = true
	for _, j := range group {
		if j != best && !sameOutcome(&m.items[j], &m.items[best]) {
			m.match[i].disagreed = append(m.match[i].disagreed, j)
			m.used[j] = true
		}
	}
}

func (m *matcher) unused(group []int) []int {
	var out []int
	for _, j := range group {
		if !m.used[j] {
			out = append(out, j)
		}
	}
	return out
}

// takeLeftover pairs an ask no item named: a JRI- look-up takes the next
// unused item (with its duplicates), any other ask the next item with no
// FaxJobId at all.
func (m *matcher) takeLeftover(i int, id JobID) {
	if id.IsReference() {
		for m.anyCur < len(m.items) && m.used[m.anyCur] {
			m.anyCur++
		}
		if m.anyCur < len(m.items) {
			group := []int{m.anyCur}
			if k := itemKey(m.items[m.anyCur].FaxJobID); k != "" {
				group = m.unused(m.byKey[k])
			}
			m.take(i, group, id)
		}
		return
	}
	for m.emptyCur < len(m.items) && (m.used[m.emptyCur] || strings.TrimSpace(m.items[m.emptyCur].FaxJobID) != "") {
		m.emptyCur++
	}
	if m.emptyCur < len(m.items) {
		m.match[i], m.used[m.emptyCur] = itemMatch{item: m.emptyCur}, true
	}
}

// itemMatch is one asked ID's item and the items that disagreed with it.
type itemMatch struct {
	item      int
	disagreed []int
}
