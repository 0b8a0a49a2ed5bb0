package main

import "fmt"

// count returns n and the word, in the plural unless n is 1: "1 record",
// "2 records".
func count[N int | int64](n N, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
