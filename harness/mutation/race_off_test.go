//go:build !race

package mutation

// raceDetector says the tests were built with -race.
const raceDetector = false
