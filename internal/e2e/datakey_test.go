package e2e

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
	kms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/kms/v2/model"
)

// createDatakey calls create-datakey; spec and length "" are omitted.
func createDatakey(t testing.TB, c *kms.KmsClient, id, spec, length string, aad *string) *model.CreateDatakeyResponse {
	t.Helper()
	resp, err := c.CreateDatakey(&model.CreateDatakeyRequest{Body: datakeyBody(t, id, spec, length, aad)})
	if err != nil {
		t.Fatalf("create-datakey %s %s %s: %v", id, spec, length, err)
	}
	return resp
}

func datakeyBody(t testing.TB, id, spec, length string, aad *string) *model.CreateDatakeyRequestBody {
	b := &model.CreateDatakeyRequestBody{KeyId: id, AdditionalAuthenticatedData: aad}
	if spec != "" {
		b.KeySpec = enumOf[model.CreateDatakeyRequestBodyKeySpec](t, spec)
	}
	if length != "" {
		b.DatakeyLength = &length
	}
	return b
}

func decryptDatakey(c *kms.KmsClient, id, ct, length string, aad *string) (*model.DecryptDatakeyResponse, error) {
	return c.DecryptDatakey(&model.DecryptDatakeyRequest{Body: &model.DecryptDatakeyRequestBody{
		KeyId: id, CipherText: ct, DatakeyCipherLength: length, AdditionalAuthenticatedData: aad}})
}

func encryptDatakey(c *kms.KmsClient, id, plain, length string) (*model.EncryptDatakeyResponse, error) {
	return c.EncryptDatakey(&model.EncryptDatakeyRequest{Body: &model.EncryptDatakeyRequestBody{
		KeyId: id, PlainText: plain, DatakeyPlainLength: length}})
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	if s != strings.ToUpper(s) {
		t.Fatalf("hex output %q is not upper case", s)
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// dekDigest is the data key digest the CMK spec asks for.
func dekDigest(spec string, dek []byte) []byte {
	if spec == "SM4" {
		d := sm3.Sum(dek)
		return d[:]
	}
	d := sha256.Sum256(dek)
	return d[:]
}

func TestCreateAndDecryptDatakey(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	for _, cmk := range []string{"AES_256", "SM4"} {
		id := newCryptoKey(t, c, "dk-"+cmk, cmk, "")
		for _, tc := range []struct {
			spec, length string
			bytes        int
		}{
			{"", "", 32}, {"AES_256", "", 32}, {"AES_128", "", 16}, {"SM4", "", 16}, {"HMAC_256", "", 32},
			{"HMAC_384", "", 48}, {"HMAC_512", "", 64}, {"HMAC_SM3", "", 32}, {"", "8", 1}, {"", "512", 64},
			{"", "8192", 1024}, {"AES_256", "128", 16},
		} {
			t.Run(cmk+"/"+tc.spec+"/"+tc.length, func(t *testing.T) {
				resp := createDatakey(t, c, id, tc.spec, tc.length, ptr("dk-aad"))
				dek, env := mustHex(t, *resp.PlainText), mustHex(t, *resp.CipherText)
				if len(dek) != tc.bytes || len(env) != tc.bytes+140 || *resp.KeyId != id {
					t.Fatalf("got %d-byte key, %d-byte envelope, key %s", len(dek), len(env), *resp.KeyId)
				}
				// lower-case input, advisory datakey_cipher_length that does not match
				got, err := decryptDatakey(c, id, strings.ToLower(*resp.CipherText), "32", ptr("dk-aad"))
				if err != nil {
					t.Fatal(err)
				}
				if *got.DataKey != *resp.PlainText || *got.DatakeyLength != strconv.Itoa(tc.bytes) ||
					*got.DatakeyDgst != strings.ToUpper(hex.EncodeToString(dekDigest(cmk, dek))) {
					t.Fatalf("decrypt-datakey: %v", got)
				}
				_, err = decryptDatakey(c, id, *resp.CipherText, "32", nil)
				wantErr(t, err, 400, "KMS.2201")
			})
		}
		t.Run(cmk+"/without plaintext", func(t *testing.T) {
			status, _, body := nd.do("POST", kmsPath("create-datakey-without-plaintext"), `{"key_id":"`+id+`","datakey_length":"128"}`, true, nil)
			if status != 200 || strings.Contains(body, "plain_text") {
				t.Fatalf("HTTP %d %s", status, body)
			}
			resp, err := c.CreateDatakeyWithoutPlaintext(&model.CreateDatakeyWithoutPlaintextRequest{Body: datakeyBody(t, id, "AES_128", "", nil)})
			if err != nil {
				t.Fatal(err)
			}
			// key_id and datakey_cipher_length are required, as Huawei's
			// reference says; the length is advisory (the envelope has it):
			// Huawei's Java encryption SDK sends "32" for 16-byte DEKs.
			_, err = decryptDatakey(c, "", *resp.CipherText, "16", nil)
			wantErr(t, err, 400, "KMS.0204")
			_, err = decryptDatakey(c, id, *resp.CipherText, "", nil)
			wantErr(t, err, 400, "KMS.0204")
			got, err := decryptDatakey(c, id, *resp.CipherText, "32", nil)
			if err != nil || *got.DatakeyLength != "16" {
				t.Fatalf("decrypt-datakey of a 16-byte DEK with length 32: %v %v", got, err)
			}
		})
	}
}

// TestDatakeyEncryptsLocally uses a DEK the way envelope-encryption clients
// do: encrypt data locally with it, keep only the envelope, later recover the
// DEK from KMS and decrypt locally.
func TestDatakeyEncryptsLocally(t *testing.T) {
	nd := startNode(t)
	c := nd.client()
	for _, tc := range []struct {
		cmk, spec string
		block     func([]byte) (cipher.Block, error)
	}{{"AES_256", "AES_256", aes.NewCipher}, {"SM4", "SM4", sm4.NewCipher}} {
		t.Run(tc.cmk, func(t *testing.T) {
			id := newCryptoKey(t, c, "local-"+tc.cmk, tc.cmk, "")
			resp := createDatakey(t, c, id, tc.spec, "", nil)
			sealed := gcmSeal(t, tc.block, mustHex(t, *resp.PlainText), []byte("file contents"))
			got, err := decryptDatakey(c, id, *resp.CipherText, "32", nil)
			if err != nil {
				t.Fatal(err)
			}
			if plain := gcmOpen(t, tc.block, mustHex(t, *got.DataKey), sealed); plain != "file contents" {
				t.Fatalf("got %q", plain)
			}
		})
	}
}

func gcmSeal(t *testing.T, newBlock func([]byte) (cipher.Block, error), key, plain []byte) []byte {
	t.Helper()
	b, err := newBlock(key)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := cipher.NewGCM(b)
	nonce := make([]byte, g.NonceSize())
	rand.Read(nonce)
	return g.Seal(nonce, nonce, plain, nil)
}

func gcmOpen(t *testing.T, newBlock func([]byte) (cipher.Block, error), key, sealed []byte) string {
	t.Helper()
	b, err := newBlock(key)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := cipher.NewGCM(b)
	plain, err := g.Open(nil, sealed[:g.NonceSize()], sealed[g.NonceSize():], nil)
	if err != nil {
		t.Fatal(err)
	}
	return string(plain)
}
