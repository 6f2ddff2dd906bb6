//! Files going up (multipart uploads) and coming down (binary downloads).

use bytes::Bytes;

/// A file to upload in a `multipart/form-data` body.
#[derive(Debug, Clone)]
pub struct UploadFile {
    pub file_name: String,
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

impl UploadFile {
    pub fn from_bytes(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> UploadFile {
        UploadFile { file_name: file_name.into(), content_type: None, bytes: bytes.into() }
    }

    /// Reads a file from disk; its name becomes the part's file name.
    pub async fn from_path(path: impl AsRef<std::path::Path>) -> std::io::Result<UploadFile> {
        let path = path.as_ref();
        let bytes = tokio::fs::read(path).await?;
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "file".to_owned());
        Ok(UploadFile { file_name, content_type: None, bytes: bytes.into() })
    }

    pub fn content_type(mut self, content_type: impl Into<String>) -> UploadFile {
        self.content_type = Some(content_type.into());
        self
    }
}

/// A downloaded file.
#[derive(Debug, Clone)]
pub struct Download {
    pub bytes: Bytes,
    /// From `Content-Disposition`, when the server names the file.
    pub file_name: Option<String>,
    pub content_type: Option<String>,
}

/// A download read as it arrives: for files too large to hold in memory.
pub struct DownloadStream {
    /// From `Content-Disposition`, when the server names the file.
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub content_length: Option<u64>,
    /// The body, chunk by chunk; a dropped connection is an error of kind `Transport`.
    pub body: std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<Bytes, super::error::Error>> + Send>>,
}

impl DownloadStream {
    /// Reads the rest of the body into memory.
    pub async fn bytes(self) -> Result<Bytes, super::error::Error> {
        use futures_util::TryStreamExt;
        let chunks: Vec<Bytes> = self.body.try_collect().await?;
        Ok(chunks.concat().into())
    }
}

impl std::fmt::Debug for DownloadStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DownloadStream")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

/// The file name of a `Content-Disposition` header: `filename*=UTF-8''…` wins over `filename=`.
pub(crate) fn disposition_file_name(header: &str) -> Option<String> {
    let mut plain = None;
    for param in header.split(';').map(str::trim) {
        let Some((key, value)) = param.split_once('=') else { continue };
        match key.trim().to_ascii_lowercase().as_str() {
            "filename*" => {
                let encoded = value.trim().splitn(3, '\'').nth(2)?;
                return percent_encoding::percent_decode_str(encoded).decode_utf8().ok().map(|s| s.into_owned());
            }
            "filename" => plain = Some(value.trim().trim_matches('"').to_owned()),
            _ => {}
        }
    }
    plain
}

#[cfg(test)]
mod tests {
    use super::disposition_file_name;

    #[test]
    fn file_names_from_content_disposition() {
        assert_eq!(disposition_file_name("attachment; filename=\"face.jpg\"").as_deref(), Some("face.jpg"));
        assert_eq!(disposition_file_name("attachment; filename=a.png; filename*=UTF-8''%E4%BA%BA.png").as_deref(), Some("人.png"));
        assert_eq!(disposition_file_name("inline").as_deref(), None);
    }
}
