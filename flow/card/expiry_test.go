package card

import (
	"errors"
	"testing"
	"time"
)

func TestCheckExpiry(t *testing.T) {
	utc := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name string
		mmyy string
		now  time.Time
		why  error // nil: valid
	}{
		{"this month", "0626", utc("2026-06-15T12:00:00Z"), nil},
		{"next month", "0726", utc("2026-06-15T12:00:00Z"), nil},
		{"last month", "0526", utc("2026-06-15T12:00:00Z"), errDatePast},
		{"last year", "1225", utc("2026-06-15T12:00:00Z"), errDatePast},
		{"December, last second of the year in UTC", "1226", utc("2026-12-31T23:59:59Z"), nil},
		{"December, a new year in UTC but not in UTC-12", "1226", utc("2027-01-01T11:59:59.999999999Z"), nil},
		{"December, the month over everywhere", "1226", utc("2027-01-01T12:00:00Z"), errDatePast},
		{"January after December", "0127", utc("2026-12-31T23:59:59Z"), nil},
		{"February, last second in UTC-12", "0226", utc("2026-03-01T11:59:59Z"), nil},
		{"February, over everywhere", "0226", utc("2026-03-01T12:00:00Z"), errDatePast},
		{"February of a leap year", "0228", utc("2028-02-29T23:59:59Z"), nil},
		{"month over in Tokyo but not in UTC-12", "0626", time.Date(2026, 7, 1, 8, 0, 0, 0, time.FixedZone("JST", 9*3600)), nil},
		{"a clock in UTC+14 a day into the next month", "0626", time.Date(2026, 7, 2, 1, 0, 0, 0, time.FixedZone("LINT", 14*3600)), nil},
		{"a clock in UTC+14 once the month is over in UTC-12", "0626", time.Date(2026, 7, 2, 2, 0, 0, 0, time.FixedZone("LINT", 14*3600)), errDatePast},
		{"20 years ahead", "0646", utc("2026-06-15T12:00:00Z"), nil},
		{"20 years and a month ahead", "0746", utc("2026-06-15T12:00:00Z"), errDateAhead},
		{"99 in 2026 is 1999", "1299", utc("2026-06-15T12:00:00Z"), errDatePast},
		{"76 in 2026 is 2076", "1276", utc("2026-06-15T12:00:00Z"), errDateAhead},
		{"05 in 2090 is 2105", "0105", utc("2090-06-15T12:00:00Z"), nil},
		{"95 in 2105 is 2095", "0195", utc("2105-06-15T12:00:00Z"), errDatePast},
		{"month 00", "0026", utc("2026-06-15T12:00:00Z"), errDateMonth},
		{"month 13", "1326", utc("2026-06-15T12:00:00Z"), errDateMonth},
		{"month 12", "1226", utc("2026-06-15T12:00:00Z"), nil},
		{"month 01", "0127", utc("2026-06-15T12:00:00Z"), nil},
		{"three digits", "626", utc("2026-06-15T12:00:00Z"), errDateForm},
		{"five digits", "06026", utc("2026-06-15T12:00:00Z"), errDateForm},
		{"MMYYYY", "062026", utc("2026-06-15T12:00:00Z"), errDateForm},
		{"slash", "6/26", utc("2026-06-15T12:00:00Z"), errDateForm},
		{"star", "06*6", utc("2026-06-15T12:00:00Z"), errDateForm},
		{"empty", "", utc("2026-06-15T12:00:00Z"), errDateForm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckExpiry(tt.mmyy, tt.now)
			if err != tt.why {
				t.Fatalf("CheckExpiry(%q, %v) = %v; want %v", tt.mmyy, tt.now, err, tt.why)
			}
			if err != nil && !errors.Is(err, ErrInvalidDate) {
				t.Errorf("%v does not wrap ErrInvalidDate", err)
			}
		})
	}
}

func TestNearestYear(t *testing.T) {
	tests := []struct{ yy, now, want int }{
		{26, 2026, 2026},
		{76, 2026, 2076},
		{77, 2026, 1977},
		{0, 2099, 2100},
		{48, 2099, 2148},
		{50, 2099, 2050},
	}
	for _, tt := range tests {
		if got := nearestYear(tt.yy, tt.now); got != tt.want {
			t.Errorf("nearestYear(%d, %d) = %d; want %d", tt.yy, tt.now, got, tt.want)
		}
	}
}
