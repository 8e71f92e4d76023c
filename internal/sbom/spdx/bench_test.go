package spdx

import "testing"

func BenchmarkEncode(b *testing.B)      { codec().BenchmarkEncode(b) }
func BenchmarkDecode(b *testing.B)      { codec().BenchmarkDecode(b) }
func BenchmarkEncodeLarge(b *testing.B) { codec().BenchmarkEncodeLarge(b) }
