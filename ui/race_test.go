//go:build race

package ui

// raceSlowdown stretches the time budgets of the performance tests: the
// race detector makes Fyne's layout and text measuring 5–10 times slower.
const raceSlowdown = 10
