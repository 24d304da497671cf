package alert

import "time"

// MuteFor is how long N mutes alerts.
const MuteFor = time.Hour

// Mute silences one viewer's alerts for a while. The zero value is not muted.
type Mute struct{ until time.Time }

// Toggle mutes for MuteFor, or unmutes when muted; it reports the new state.
func (m *Mute) Toggle(now time.Time) (muted bool) {
	if m.Active(now) {
		m.until = time.Time{}
		return false
	}
	m.until = now.Add(MuteFor)
	return true
}

// Active reports whether alerts are muted at now.
func (m Mute) Active(now time.Time) bool { return now.Before(m.until) }

// Until is when the mute ends (zero when not muted).
func (m Mute) Until() time.Time { return m.until }
