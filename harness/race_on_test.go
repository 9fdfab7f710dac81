//go:build race

package harness

// raceDetector says the tests were built with -race.
const raceDetector = true
