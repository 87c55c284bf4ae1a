package store

import (
	"errors"
	"fmt"

	"github.com/novumock/novumock/internal/limits"
	"github.com/novumock/novumock/internal/validate"
)

// Loading subscribers: the part of build that checks them whole, so that
// whatever a dataset holds could have been made through the API.

// buildSubscribers checks and indexes the subscribers of a dataset into st,
// whose environments are built already.
func buildSubscribers(st *state, ds Dataset, bounds Limits) error {
	ids := map[string]bool{}
	for i, in := range ds.Subscribers {
		sub := in
		at := fmt.Sprintf("subscribers[%d] (subscriberId %q)", i, sub.SubscriberID)
		if err := checkID(sub.ID); err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
		if ids[sub.ID] {
			return fmt.Errorf("%s: _id %s is used twice", at, sub.ID)
		}
		ids[sub.ID] = true
		e, ok := st.envs[sub.EnvironmentID]
		if !ok {
			return fmt.Errorf("%s: _environmentId %q names no environment of the dataset", at, sub.EnvironmentID)
		}
		if sub.OrganizationID == "" {
			sub.OrganizationID = e.OrganizationID
		}
		if sub.OrganizationID != e.OrganizationID {
			return fmt.Errorf("%s: _organizationId %q is not the organization of its environment (%s)", at, sub.OrganizationID, e.OrganizationID)
		}
		if err := checkSubscriber(&sub); err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
		if _, dup := e.subscribers.byID[sub.SubscriberID]; dup {
			return fmt.Errorf("%s: subscriberId is used twice in environment %s", at, e.ID)
		}
		if err := roomIn(bounds, e, limits.Subscribers, 1); err != nil {
			return err
		}
		e.subscribers.add(&sub)
		if err := st.grow(sub.size(), bounds); err != nil {
			return err
		}
	}
	return nil
}

// checkSubscriber checks one subscriber on its own and normalises its
// times.
func checkSubscriber(sub *Subscriber) error {
	// An empty subscriberId is kept: Novu's v1 create takes one (its DTO
	// says IsDefined and IsString only), and so does the mock.
	if err := checkText("subscriberId", sub.SubscriberID); err != nil {
		return err
	}
	for i, f := range sub.Texts() {
		if *f != nil {
			if err := checkText(SubscriberTextFields[i], **f); err != nil {
				return err
			}
		}
	}
	if !sub.Data.IsEmpty() {
		if err := validate.Depth([]byte(sub.Data)); err != nil {
			return err
		}
		if sub.Data[0] != '{' {
			return errors.New("data: must be an object")
		}
	}
	if sub.size() > validate.MaxRecordBytes {
		return fmt.Errorf("the record is %d bytes, more than the %d one request can carry", sub.size(), validate.MaxRecordBytes)
	}
	if sub.CreatedAt.IsZero() || sub.UpdatedAt.IsZero() {
		return errors.New("createdAt and updatedAt are required")
	}
	sub.CreatedAt, sub.UpdatedAt = At(sub.CreatedAt.Time), At(sub.UpdatedAt.Time)
	return nil
}

// checkSubscribers is Check's part for subscribers: the index true to the
// records. It returns the bytes they hold.
func (e *envState) checkSubscribers() (int64, error) {
	var bytes int64
	for _, sub := range e.subscribers.list {
		if sub.EnvironmentID != e.ID || e.subscribers.byID[sub.SubscriberID] != sub {
			return 0, fmt.Errorf("environment %s: subscriber %s is not indexed", e.ID, sub.SubscriberID)
		}
		bytes += sub.size()
	}
	if len(e.subscribers.byID) != len(e.subscribers.list) {
		return 0, fmt.Errorf("environment %s: the subscriber index holds stale entries", e.ID)
	}
	return bytes, nil
}
