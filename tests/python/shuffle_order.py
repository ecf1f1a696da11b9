#!/usr/bin/python3
"""The --shuffle order, written from docs/format.md alone (not from the C# code), so that readers in other languages
can reproduce a run's order and the tests can check the tool against it.

    python3 tests/python/shuffle_order.py SEED N     prints the shuffled positions 0..N-1, one line, space-separated

Fisher-Yates from the last position i = n-1 down to 1, swapping i with j = r mod (i+1), where r is the next output of
SplitMix64 started at SEED (all arithmetic mod 2**64)."""

import sys

MASK = (1 << 64) - 1


def splitmix64(seed):
    state = seed & MASK
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def shuffled(seed, n):
    order = list(range(n))
    numbers = splitmix64(seed)
    for i in range(n - 1, 0, -1):
        j = next(numbers) % (i + 1)
        order[i], order[j] = order[j], order[i]
    return order


if __name__ == "__main__":
    print(" ".join(str(p) for p in shuffled(int(sys.argv[1]), int(sys.argv[2]))))
