package imagetest_test

import (
	"fmt"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/plimsoll/plimsoll/internal/imagetest"
)

// A two-layer image whose second layer deletes a file, written as an OCI
// layout tagged "1.0".
func Example() {
	img, err := imagetest.Image{
		Layers: []imagetest.Layer{
			{
				CreatedBy: "ADD rootfs /",
				Entries: []imagetest.Entry{
					imagetest.Dir("etc"),
					imagetest.File("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"),
					imagetest.File("etc/secret", "token"),
				},
			},
			{
				CreatedBy:     "RUN rm /etc/secret",
				HistoryBefore: []v1.History{{CreatedBy: "USER app"}},
				Entries:       []imagetest.Entry{imagetest.Whiteout("etc/secret")},
			},
		},
		Config: v1.Config{User: "app", Cmd: []string{"/bin/sh"}},
	}.Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "layout")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	if err := imagetest.WriteOCILayout(dir, imagetest.Tagged{Tag: "1.0", Image: img}); err != nil {
		fmt.Println(err)
		return
	}
	cf, _ := img.ConfigFile()
	fmt.Println(len(cf.RootFS.DiffIDs), "layers,", len(cf.History), "history entries")
	_, err = os.Stat(filepath.Join(dir, "index.json"))
	fmt.Println("index.json written:", err == nil)
	// Output:
	// 2 layers, 3 history entries
	// index.json written: true
}
