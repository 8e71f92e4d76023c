// Package imagetest builds container images in memory for tests.
//
// An [Image] is a list of [Layer]s, each a list of tar [Entry]s written in the
// order given and verbatim (paths such as "./x", "/abs" or "../escape" are kept
// as they are), plus a config and history. [Image.Build] turns it into a
// go-containerregistry v1.Image whose digests depend only on the input: tar
// headers carry a fixed modification time, gzip headers carry no name or time,
// and JSON documents are serialised in a fixed field order.
//
// The built images can be written as an OCI image layout ([WriteOCILayout]), an
// OCI archive ([WriteOCIArchive]), a docker-save archive ([WriteDockerArchive])
// or pushed to a registry ([Push]). [RemoveBlob] and [SetDiffIDs] corrupt images
// for bad-input tests; [Layer.Raw] supplies a layer blob verbatim (for corrupt
// gzip), and [Entry.Size] makes a tar header claim more bytes than follow it.
//
// Nothing in this package is meant for production code. Built layers are
// held in memory as compressed blobs (entries produced by [Layer.Generate]
// are streamed through the compressor and never held); [WriteDockerArchive]
// holds one uncompressed layer at a time. [Tar] panics only when an entry
// cannot be encoded as a tar header at all.
package imagetest
