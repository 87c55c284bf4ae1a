package novutest_test

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/novumock/novumock/novutest"
)

// Example starts the mock, lists the first environment's integrations with
// its API key, and stops it.
func Example() {
	novu, err := novutest.Start()
	if err != nil {
		panic(err)
	}
	defer novu.Close()

	req, _ := http.NewRequest("GET", novu.URL+"/v1/integrations", nil)
	req.Header.Set("Authorization", "ApiKey "+novu.APIKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	var body struct {
		Data []struct {
			Channel string `json:"channel"`
			Primary bool   `json:"primary"`
		} `json:"data"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		panic(err)
	}
	primaries := 0
	for _, it := range body.Data {
		if it.Primary {
			primaries++
		}
	}
	fmt.Println(res.StatusCode, len(body.Data), "integrations,", primaries, "primaries (email and sms)")
	// Output: 200 10 integrations, 2 primaries (email and sms)
}
