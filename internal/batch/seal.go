package batch

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
)

// sealKey derives the letters' AES-256 key from SESSION_SECRET, apart from every other use
// of the secret.
func sealKey(secret []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("portal batch letters v1"))
	return m.Sum(nil)
}

// seal encrypts plain with AES-GCM for run id (the id is authenticated, so one run's file
// cannot be passed off as another's): nonce || ciphertext.
func seal(key []byte, id int64, plain []byte) ([]byte, error) {
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize(), gcm.NonceSize()+len(plain)+gcm.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("batch: seal: %w", err)
	}
	return gcm.Seal(nonce, nonce, plain, runAD(id)), nil
}

// open decrypts what seal made for run id.
func open(key []byte, id int64, sealed []byte) ([]byte, error) {
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < gcm.NonceSize() {
		return nil, errors.New("batch: open: sealed file too short")
	}
	plain, err := gcm.Open(nil, sealed[:gcm.NonceSize()], sealed[gcm.NonceSize():], runAD(id))
	if err != nil {
		return nil, fmt.Errorf("batch: open: %w", err)
	}
	return plain, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("batch: cipher: %w", err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("batch: cipher: %w", err)
	}
	return gcm, nil
}

func runAD(id int64) []byte { return binary.BigEndian.AppendUint64([]byte("batch_run:"), uint64(id)) }
