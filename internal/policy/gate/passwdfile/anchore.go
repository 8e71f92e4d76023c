package passwdfile

import (
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// Anchore Engine identified the passwd_file gate's firings by the hash of its
// message (gate.AnchoreID); these methods write the messages as its gate did.

var (
	_ gate.AnchoreNamer = notAvailable{}
	_ gate.AnchoreNamer = denied{}
)

// AnchoreIDs: the trigger's one message.
func (notAvailable) AnchoreIDs(_ gate.Args, _ *gate.Input, fires []gate.Fire) {
	for i := range fires {
		fires[i].Anchore = gate.AnchoreID("passwd_file", "content_not_available",
			"Cannot locate /etc/passwd in image stored files archive: check analyzer settings.")
	}
}

// anchoreWords are the words Anchore's messages named each denied value by.
var anchoreWords = map[string]string{
	"blacklist_usernames": "user", "blacklist_userids": "uid", "blacklist_groupids": "gid",
	"blacklist_shells": "shell", "blacklist_full_entry": "pentry",
}

// AnchoreIDs: "Blacklisted user 'sshd' found in image's /etc/passwd:
// pentry=sshd:x:…" (uid, gid, shell, pentry for the other triggers).
func (d denied) AnchoreIDs(_ gate.Args, in *gate.Input, fires []gate.Fire) {
	entries, _, _ := read(in)
	next := map[string]int{} // the check fired in entry order: the k-th firing of a value is its k-th entry
	for i := range fires {
		v := fires[i].ID
		pentry := v
		for j := next[v]; j < len(entries); j++ {
			e := entries[j]
			if d.field < 0 && e.text == v || d.field >= 0 && d.field < len(e.fields) && e.fields[d.field] == v {
				pentry, next[v] = e.text, j+1
				break
			}
		}
		fires[i].Anchore = gate.AnchoreID("passwd_file", d.name,
			"Blacklisted "+anchoreWords[d.name]+" '"+v+"' found in image's /etc/passwd: pentry="+pentry)
	}
}
