package sim

import (
	"fmt"
	"os"
	"time"
)

// EpochEnv names the variable that moves every test's fake clock (see the
// README, Testing): a Go duration such as 8760h or -8760h.
const EpochEnv = "FAXWATCH_TEST_EPOCH"

// Epoch returns base moved by $FAXWATCH_TEST_EPOCH. Tests start their fake
// clocks here, so running the suite as if a year later or earlier finds any
// test that lets a fake time meet a real file time, date or timer.
func Epoch(base time.Time) time.Time {
	v := os.Getenv(EpochEnv)
	if v == "" {
		return base
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		panic(fmt.Sprintf("%s=%q: want a Go duration such as 8760h or -8760h", EpochEnv, v))
	}
	return base.Add(d)
}
