package main

import (
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/layerfs"
)

// imageFlags are the flags of every command that reads an image.
type imageFlags struct {
	platform    string
	username    string
	password    string
	insecure    []string
	timeout     time.Duration
	retries     int
	maxFileSize int64
	verifyBlob  bool
}

func (f *imageFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.platform, "platform", "", "os/arch[/variant] to pick from a multi-platform image (default linux/<host arch>)")
	fl.StringVar(&f.username, "username", "", "registry user name (env PLIMSOLL_REGISTRY_USERNAME)")
	fl.StringVar(&f.password, "password", "", "registry password or token (env PLIMSOLL_REGISTRY_PASSWORD)")
	fl.StringSliceVar(&f.insecure, "insecure-registry", nil, "registry HOST[:PORT] reached over plain HTTP or with an unverified certificate (repeatable)")
	fl.DurationVar(&f.timeout, "registry-timeout", 30*time.Second, "timeout for connecting to a registry and for its response headers")
	fl.IntVar(&f.retries, "registry-retries", 3, "retries of a failed registry request")
	fl.Int64Var(&f.maxFileSize, "max-file-size", layerfs.DefaultMaxFileSize, "largest file content held in memory for analysis, in bytes")
	fl.BoolVar(&f.verifyBlob, "verify-blob-digest", false, "also check each layer blob's stored (compressed) digest; the diffID, always checked, already proves the content")
	envName(cmd, "username", "PLIMSOLL_REGISTRY_USERNAME")
	envName(cmd, "password", "PLIMSOLL_REGISTRY_PASSWORD")
}

func (f *imageFlags) options(cmd *cobra.Command) image.Options {
	return image.Options{
		Platform: f.platform, Username: f.username, Password: f.password,
		Insecure: f.insecure, Timeout: f.timeout, Retries: f.retries,
		Stdin: cmd.InOrStdin(), UserAgent: "plimsoll/" + version,
	}
}

// walk returns the options of the one walk over the layers, the same for every
// command: the requests of whatever reads file contents, the per-file cap, the
// blob-digest check, the logger.
func (f *imageFlags) walk(requests []layerfs.Request, digests bool) image.InspectOptions {
	return image.InspectOptions{Walk: layerfs.Options{
		Requests: requests, Digests: digests, MaxFileSize: f.maxFileSize,
		VerifyBlobDigest: f.verifyBlob, Logger: slog.Default(),
	}}
}
