package ui

import "time"

// common is what every component shares: styles, keys and the clock. The
// root owns it; components hold a pointer so a theme change reaches all.
type common struct {
	styles   *Styles
	styleGen int // bumps when styles change, so cached rows re-render
	keys     *KeyMap
	now      func() time.Time
}
