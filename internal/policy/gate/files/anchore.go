package files

import (
	"path"
	"strings"

	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// Anchore Engine identified the files gate's firings by the hash of its
// message (gate.AnchoreID); these methods write the messages as its gate did.

var (
	_ gate.AnchoreNamer = suid{}
	_ gate.AnchoreNamer = nameMatch{}
	_ gate.AnchoreNamer = contentMatch{}
	_ gate.AnchoreNamer = attributeMatch{}
)

// sIFREG is the file-type bits of a regular file's st_mode, which Anchore
// printed with the permissions.
const sIFREG = 0o100000

// AnchoreIDs: "SUID or SGID found set on file /usr/bin/su. Mode: 0o104755".
func (suid) AnchoreIDs(_ gate.Args, in *gate.Input, fires []gate.Fire) {
	modes := map[string]layerfs.Mode{}
	for _, f := range in.FS.Squashed() {
		if f.Setuid() || f.Setgid() {
			modes[f.Path] = f.Mode
		}
	}
	for i := range fires {
		p := fires[i].Path
		fires[i].Anchore = gate.AnchoreID("files", "suid_or_guid_set",
			"SUID or SGID found set on file "+p+". Mode: "+gate.PyOct(sIFREG|uint32(modes[p])))
	}
}

// AnchoreIDs: "Application of regex matched file found in container:
// file=/path regexp=…".
func (nameMatch) AnchoreIDs(a gate.Args, _ *gate.Input, fires []gate.Fire) {
	for i := range fires {
		fires[i].Anchore = gate.AnchoreID("files", "name_match",
			"Application of regex matched file found in container: file="+fires[i].Path+" regexp="+a.String("regex"))
	}
}

// AnchoreIDs: "File content analyzer found regexp match in container:
// file=/path regexp=…", the regexp as the rule gives it (Anchore named the
// analyzer's; a configured NAME=regex entry is not known to plimsoll).
func (contentMatch) AnchoreIDs(a gate.Args, _ *gate.Input, fires []gate.Fire) {
	for i := range fires {
		fires[i].Anchore = gate.AnchoreID("files", "content_regex_match",
			"File content analyzer found regexp match in container: file="+fires[i].Path+" regexp="+a.String("regex_name"))
	}
}

// AnchoreIDs: "filename=/etc/passwd and checksum=… op=equals
// specified_checksum=… and mode=0o644 op=equals specified_mode=0o644", or
// "filename=… and skip_missing=False" for a missing file.
func (attributeMatch) AnchoreIDs(a gate.Args, in *gate.Input, fires []gate.Fire) {
	name := a.String("filename")
	msg := "filename=" + name
	f := lookup(in.FS, path.Clean(name))
	if f == nil {
		msg += " and skip_missing=False"
	}
	if f != nil && a.Has("checksum") {
		sum, _ := checksum(in.FS, f)
		msg += " and checksum=" + sum + " op=" + a.String("checksum_match") + " specified_checksum=" + a.String("checksum")
	}
	if f != nil && a.Has("mode") {
		var want uint32
		for _, c := range strings.TrimSpace(a.String("mode")) {
			want = want*8 + uint32(c-'0')
		}
		msg += " and mode=" + gate.PyOct(uint32(f.Mode)&0o7777) + " op=" + a.String("mode_op") + " specified_mode=" + gate.PyOct(want)
	}
	for i := range fires {
		fires[i].Anchore = gate.AnchoreID("files", "attribute_match", msg)
	}
}
