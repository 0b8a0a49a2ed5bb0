package evidence_test

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/aimskit/aimskit/aims/evidence"
)

// A keyed digest keeps a low-entropy model output out of reach of anyone
// who reads the evidence and can guess, while the holder of the key can
// still show what was recorded.
func ExampleContentKey() {
	// A real secret is 32 random bytes per deployment, from a secret
	// store; a fixed one gives the same output every time.
	key, err := evidence.NewContentKey(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		fmt.Println(err)
		return
	}
	recorded := key.Digest([]byte("decline"))
	js, _ := json.Marshal(recorded)
	fmt.Println(string(js))

	// Someone reading the evidence tries the three possible outcomes.
	for _, guess := range []string{"approve", "refer", "decline"} {
		fmt.Println(guess, evidence.DigestContent([]byte(guess)).SHA256 == recorded.HMACSHA256)
	}
	// The key holder can show which outcome it was.
	fmt.Println("with the key:", key.Matches([]byte("decline"), recorded), key.Matches([]byte("approve"), recorded))

	// A reviewer's pseudonym is the same every time, and names nobody.
	fmt.Println(key.Pseudonym("jane.doe@example.com") == key.Pseudonym("jane.doe@example.com"))
	fmt.Println(key)
	// Output:
	// {"hmacSha256":"6ba347d4f1c1172376af316dc53829795b7870324aeba5c421db22c59dfb5cca","keyId":"09bae742","length":7}
	// approve false
	// refer false
	// decline false
	// with the key: true false
	// true
	// evidence.ContentKey(09bae742)
}
