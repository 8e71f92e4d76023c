package imagetest

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Push writes img to the registry reference ref ("127.0.0.1:5000/app:1.0").
// Loopback and localhost registries are spoken to over plain HTTP, as
// go-containerregistry does by default; pass remote.WithAuth or
// remote.WithTransport in opts for credentials or TLS.
func Push(ctx context.Context, ref string, img v1.Image, opts ...remote.Option) error {
	r, err := name.ParseReference(ref)
	if err != nil {
		return fmt.Errorf("push %s: %w", ref, err)
	}
	if err := remote.Write(r, img, append(opts, remote.WithContext(ctx))...); err != nil {
		return fmt.Errorf("push %s: %w", ref, err)
	}
	return nil
}

// PushIndex writes idx and every image it names to the registry reference ref.
func PushIndex(ctx context.Context, ref string, idx v1.ImageIndex, opts ...remote.Option) error {
	r, err := name.ParseReference(ref)
	if err != nil {
		return fmt.Errorf("push index %s: %w", ref, err)
	}
	if err := remote.WriteIndex(r, idx, append(opts, remote.WithContext(ctx))...); err != nil {
		return fmt.Errorf("push index %s: %w", ref, err)
	}
	return nil
}
