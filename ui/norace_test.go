//go:build !race

package ui

// raceSlowdown stretches the time budgets of the performance tests under
// the race detector (race_test.go); without it they hold as they are.
const raceSlowdown = 1
