// Package assertion will take an online service's signed request, build the
// consent scope and, after the holder's explicit yes, the identity assertion
// (chip evidence the service verifies by itself). Built in a later issue.
package assertion
