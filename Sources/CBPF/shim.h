#pragma once
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
