// S3BlobStore's multipart upload: CreateMultipartUpload, UploadPart for each part_size slice
// of the file, CompleteMultipartUpload, and AbortMultipartUpload when any step fails, so no
// orphaned parts are left taking space on the server.
#include <string>
#include <vector>

#include "kit/blob/s3_blob_store.hpp"
#include "kit/blob/s3_presign.hpp"
#include "kit/http/file_response.hpp"
#include "kit/log/log.hpp"

namespace reel::blob {
Status S3BlobStore::PutMultipart(std::string_view key, int fd, std::uint64_t size) {
  const auto dot = key.rfind('.');
  S3Request create;
  create.method = "POST";
  create.url = UrlOf(key, "uploads=");
  create.headers.push_back("Content-Type: " +
                           std::string(http::ContentTypeForExtension(key.substr(dot + 1))));
  auto created = Send(std::move(create), key);
  if (!created.ok()) return created.status();
  const std::string upload_id = XmlElement(created->body, "UploadId");
  if (created->status != 200 || upload_id.empty()) {
    return S3Failure(*created, "CreateMultipartUpload", key);
  }
  Status status = PutParts(key, upload_id, fd, size);
  if (!status.ok()) {
    S3Request abort;
    abort.method = "DELETE";
    abort.url = UrlOf(key, "uploadId=" + S3UriEncode(upload_id));
    auto aborted = Send(std::move(abort), key);
    if (!aborted.ok() || aborted->status != 204) {
      log::Warn("S3 multipart upload left unaborted", {{"key", key}, {"upload_id", upload_id}});
    }
  }
  return status;
}

Status S3BlobStore::PutParts(std::string_view key, const std::string& upload_id, int fd,
                             std::uint64_t size) {
  const std::string id = S3UriEncode(upload_id);
  const std::uint64_t part_size = options_.part_size;
  std::string manifest = "<CompleteMultipartUpload>";
  for (std::uint64_t offset = 0, number = 1; offset < size; offset += part_size, ++number) {
    S3Request part;
    part.method = "PUT";
    part.url = UrlOf(key, "partNumber=" + std::to_string(number) + "&uploadId=" + id);
    part.body_fd = fd;
    part.body_offset = offset;
    part.body_length = std::min(part_size, size - offset);
    auto uploaded = Send(std::move(part), key);
    if (!uploaded.ok()) return uploaded.status();
    if (uploaded->status != 200 || uploaded->etag.empty()) {
      return S3Failure(*uploaded, "UploadPart", key);
    }
    manifest += "<Part><PartNumber>" + std::to_string(number) + "</PartNumber><ETag>" +
                uploaded->etag + "</ETag></Part>";
  }
  manifest += "</CompleteMultipartUpload>";
  S3Request complete;
  complete.method = "POST";
  complete.url = UrlOf(key, "uploadId=" + id);
  complete.headers.push_back("Content-Type: application/xml");
  complete.body_text = std::move(manifest);
  auto completed = Send(std::move(complete), key);
  if (!completed.ok()) return completed.status();
  // S3 may answer 200 and still report an error in the body (it fails after the headers).
  if (completed->status != 200 || !S3ErrorCode(completed->body).empty()) {
    return S3Failure(*completed, "CompleteMultipartUpload", key);
  }
  return Status::Ok();
}

}  // namespace reel::blob
