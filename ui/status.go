package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

const (
	toastFor   = 4 * time.Second
	warningFor = 8 * time.Second
)

type toast struct {
	text  string
	isErr bool
	dur   time.Duration
	shown time.Time // zero until it reaches the screen
}

// statusModel is the line above the help: one toast at a time, queued, each
// expiring on the injected clock (no sleeps).
type statusModel struct {
	c      *common
	width  int
	toasts []toast
}

// SetSize sets the width; the status is one line.
func (s *statusModel) SetSize(w, _ int) { s.width = w }

// push shows a message: a short toast replaces a short one on screen (the
// user sees the answer to the key just pressed), warnings wait their turn.
func (s *statusModel) push(text string, isErr bool, dur time.Duration) {
	t := toast{text: clean(text), isErr: isErr, dur: dur}
	if len(s.toasts) > 0 && s.toasts[0].dur == toastFor && dur == toastFor {
		s.toasts[0] = t
		s.toasts[0].shown = s.c.now()
		return
	}
	if len(s.toasts) >= 8 { // bounded: drop the oldest waiting
		s.toasts = append(s.toasts[:1], s.toasts[2:]...)
	}
	s.toasts = append(s.toasts, t)
	if len(s.toasts) == 1 {
		s.toasts[0].shown = s.c.now()
	}
}

// Update expires toasts on the clock tick.
func (s *statusModel) Update(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(clockMsg); ok {
		s.expire()
	}
	return nil
}

func (s *statusModel) expire() {
	now := s.c.now()
	for len(s.toasts) > 0 && !now.Before(s.toasts[0].shown.Add(s.toasts[0].dur)) {
		s.toasts = s.toasts[1:]
		if len(s.toasts) > 0 {
			s.toasts[0].shown = now
		}
	}
}

// Current is the toast on screen, if any.
func (s *statusModel) Current() (string, bool) {
	if len(s.toasts) == 0 {
		return "", false
	}
	return s.toasts[0].text, true
}

func (s *statusModel) View() string {
	if len(s.toasts) == 0 {
		return fit("", s.width)
	}
	t := s.toasts[0]
	st := s.c.styles.Toast
	if t.isErr {
		st = s.c.styles.ToastError
	}
	more := ""
	if len(s.toasts) > 1 {
		more = "  (+" + itoa(len(s.toasts)-1) + ")"
	}
	return fit(st.Render(truncate(t.text, s.width-len(more))+more), s.width)
}
