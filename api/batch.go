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
	match := make([]itemMatch, len(ids))
	used := make([]bool, len(items))
	byKey := make(map[string][]int, len(items))
	for j := range items {
		k := itemKey(items[j].FaxJobID)
		byKey[k] = append(byKey[k], j)
	}
	take := func(i int, group []int, asked JobID) {
		best := group[0]
		for _, j := range group[1:] {
			if moreFinal(&items[j], &items[best], asked) {
				best = j
			}
		}
		match[i] = itemMatch{item: best}
		used[best] = true
		for _, j := range group {
			if j != best && !sameOutcome(&items[j], &items[best]) {
				match[i].disagreed = append(match[i].disagreed, j)
				used[j] = true
			}
		}
	}
	unused := func(group []int) []int {
		var out []int
		for _, j := range group {
			if !used[j] {
				out = append(out, j)
			}
		}
		return out
	}
	for i, id := range ids {
		match[i] = itemMatch{item: -1}
		if q := unused(byKey[string(id)]); len(q) > 0 {
			take(i, q, id)
		}
	}
	anyCur, emptyCur := 0, 0
	for i, id := range ids {
		if match[i].item >= 0 {
			continue
		}
		if id.IsReference() {
			for anyCur < len(items) && used[anyCur] {
				anyCur++
			}
			if anyCur < len(items) {
				group := []int{anyCur}
				if k := itemKey(items[anyCur].FaxJobID); k != "" {
					group = unused(byKey[k])
				}
				take(i, group, id)
			}
			continue
		}
		for emptyCur < len(items) && (used[emptyCur] || strings.TrimSpace(items[emptyCur].FaxJobID) != "") {
			emptyCur++
		}
		if emptyCur < len(items) {
			match[i], used[emptyCur] = itemMatch{item: emptyCur}, true
		}
	}
	return match
}

// itemMatch is one asked ID's item and the items that disagreed with it.
type itemMatch struct {
	item      int
	disagreed []int
}
