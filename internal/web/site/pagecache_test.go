package site

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"portal/internal/account"
	"portal/internal/session"
)

func TestPageCacheHoldsARenderingOnlyWhileWhatItShowsHolds(t *testing.T) {
	c := NewPageCache(1 << 20)
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	u := &User{Account: &account.Account{ID: 1, FacilityID: 7, ContactName: "山田", UpdatedAt: now}, Facility: account.Facility{ID: 7, Name: "薬局"},
		Stamp: session.Stamp{Facility: 3, Site: 1}, Stamped: true}
	page := []byte(`<meta content="` + string(c.placeholder) + `"><input value="` + string(c.placeholder) + `">`)
	c.put("/mypage", u, now, page)

	parts := c.get("/mypage", u, now.Add(time.Second))
	if got := string(withToken(parts, "TOKEN")); got != `<meta content="TOKEN"><input value="TOKEN">` {
		t.Fatalf("served %q", got)
	}
	changed := func(name string, change func(v *User), at time.Time) {
		t.Helper()
		v := *u
		a := *u.Account
		v.Account = &a
		change(&v)
		if c.get("/mypage", &v, at) != nil {
			t.Errorf("%s: the old rendering was served", name)
		}
	}
	same := func(*User) {}
	changed("facility stamp", func(v *User) { v.Stamp.Facility++ }, now)
	changed("site stamp", func(v *User) { v.Stamp.Site++ }, now)
	changed("another account", func(v *User) { v.Account.ID = 2 }, now)
	changed("the contact name", func(v *User) { v.Account.ContactName = "佐藤" }, now)
	changed("the facility's address", func(v *User) { v.Facility.Address = "東京都" }, now)
	changed("after its minute", same, now.Add(pageCacheTTL))
	// 23:59:50 JST, then ten seconds later: another day, within the minute.
	c.put("/mypage", u, time.Date(2026, 12, 1, 14, 59, 50, 0, time.UTC), page)
	changed("on the next day in JST", same, time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC))
	if c.get("/cardreader", u, now) != nil {
		t.Error("a rendering served for another path")
	}
}

func TestPageCacheDropsTheLeastRecentlyServedBeyondItsBytes(t *testing.T) {
	c := NewPageCache(3000)
	now := time.Now()
	user := func(id int64) *User {
		return &User{Account: &account.Account{ID: id}, Stamped: true}
	}
	body := []byte(strings.Repeat("x", 1000))
	c.put("/mypage", user(1), now, body)
	c.put("/mypage", user(2), now, body)
	c.put("/mypage", user(3), now, body)
	c.get("/mypage", user(1), now) // 1 served: 2 is now the least recent
	c.put("/mypage", user(4), now, body)
	if c.Len() != 3 || c.get("/mypage", user(2), now) != nil || c.get("/mypage", user(1), now) == nil {
		t.Errorf("kept %d; 2 kept %v, 1 kept %v", c.Len(), c.get("/mypage", user(2), now) != nil, c.get("/mypage", user(1), now) != nil)
	}
	c.put("/mypage", user(1), now, body) // a new rendering replaces the old one
	if c.Len() != 3 || c.bytes != 3000 {
		t.Errorf("after replacing: %d renderings, %d bytes", c.Len(), c.bytes)
	}
	if got := withToken(c.get("/mypage", user(1), now), "t"); !bytes.Equal(got, body) {
		t.Error("a page without forms changed")
	}
}
