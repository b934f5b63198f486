#include "carenet/media.h"

#include <cstdlib>
#include <cstring>
#include <memory>

#include <gtest/gtest.h>
#include <libexif/exif-data.h>

#include "common/error.h"

namespace moyakko::carenet {
namespace {

std::string Segment(unsigned char marker, const std::string& payload) {
  std::string out{'\xFF', static_cast<char>(marker)};
  std::size_t length = payload.size() + 2;
  out += static_cast<char>(length >> 8);
  out += static_cast<char>(length & 0xFF);
  return out + payload;
}

ExifEntry* AddEntry(ExifData* exif, ExifIfd ifd, ExifTag tag, ExifFormat format, const std::string& bytes,
                    unsigned long components) {
  ExifEntry* entry = exif_entry_new();
  entry->tag = tag;
  entry->format = format;
  entry->components = components;
  entry->size = static_cast<unsigned int>(bytes.size());
  entry->data = static_cast<unsigned char*>(std::malloc(bytes.size()));
  std::memcpy(entry->data, bytes.data(), bytes.size());
  exif_content_add_entry(exif->ifd[ifd], entry);
  exif_entry_unref(entry);
  return entry;
}

// An Exif APP1 payload with an orientation and a GPS latitude, as a phone writes them.
std::string ExifWithLocation() {
  ExifData* exif = exif_data_new();
  exif_data_set_byte_order(exif, EXIF_BYTE_ORDER_MOTOROLA);
  AddEntry(exif, EXIF_IFD_0, EXIF_TAG_ORIENTATION, EXIF_FORMAT_SHORT, std::string("\x00\x06", 2), 1);
  AddEntry(exif, EXIF_IFD_GPS, static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE_REF), EXIF_FORMAT_ASCII, std::string("N\0", 2), 2);
  AddEntry(exif, EXIF_IFD_GPS, static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE), EXIF_FORMAT_RATIONAL,
           std::string("\x00\x00\x00\x23\x00\x00\x00\x01\x00\x00\x00\x0e\x00\x00\x00\x01\x00\x00\x00\x09\x00\x00\x00\x01", 24), 3);
  unsigned char* data = nullptr;
  unsigned int size = 0;
  exif_data_save_data(exif, &data, &size);
  std::string payload(reinterpret_cast<char*>(data), size);
  std::free(data);
  exif_data_unref(exif);
  return payload;
}

// SOI, JFIF, the given APP segments, a quantisation table, SOS with picture bytes, EOI.
std::string Jpeg(const std::string& app_segments) {
  std::string jpeg("\xFF\xD8", 2);
  jpeg += Segment(0xE0, std::string("JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 14));
  jpeg += app_segments;
  jpeg += Segment(0xDB, std::string(65, '\x01'));
  jpeg += Segment(0xDA, std::string("\x01\x01\x00\x00\x3f\x00", 6));
  jpeg += std::string("\x12\x34\x56\xFF\x00\x78", 6);  // entropy-coded bytes with a stuffed 0xFF
  jpeg += std::string("\xFF\xD9", 2);
  return jpeg;
}

int GpsEntries(const std::string& jpeg) {
  std::unique_ptr<ExifData, decltype(&exif_data_unref)> exif(
      exif_data_new_from_data(reinterpret_cast<const unsigned char*>(jpeg.data()), static_cast<unsigned int>(jpeg.size())),
      &exif_data_unref);
  return exif ? static_cast<int>(exif->ifd[EXIF_IFD_GPS]->count) : -1;
}

int Orientation(const std::string& jpeg) {
  std::unique_ptr<ExifData, decltype(&exif_data_unref)> exif(
      exif_data_new_from_data(reinterpret_cast<const unsigned char*>(jpeg.data()), static_cast<unsigned int>(jpeg.size())),
      &exif_data_unref);
  ExifEntry* entry = exif ? exif_data_get_entry(exif.get(), EXIF_TAG_ORIENTATION) : nullptr;
  return entry ? exif_get_short(entry->data, exif_data_get_byte_order(exif.get())) : -1;
}

std::string PngChunk(const std::string& type, const std::string& data) {
  std::string out;
  for (int shift : {24, 16, 8, 0}) out += static_cast<char>((data.size() >> shift) & 0xFF);
  return out + type + data + std::string("\0\0\0\0", 4);  // CRCs are not checked by the stripper
}

TEST(Media, DetectsTypeByContentOnly) {
  EXPECT_EQ(DetectMediaType(Jpeg("")), "image/jpeg");
  EXPECT_EQ(DetectMediaType(std::string("\x89PNG\r\n\x1a\n", 8) + "rest"), "image/png");
  EXPECT_EQ(DetectMediaType("%PDF-1.7\n…%%EOF"), "application/pdf");
  EXPECT_EQ(DetectMediaType("GIF89a"), std::nullopt);
  EXPECT_EQ(DetectMediaType("just text that claims to be photo.jpg"), std::nullopt);
}

TEST(Media, JpegLosesItsLocationButKeepsOrientationAndPicture) {
  std::string exif = ExifWithLocation();
  std::string xmp = std::string("http://ns.adobe.com/xap/1.0/\0", 29) + "<x:xmpmeta><exif:GPSLatitude>35,14N";
  std::string original = Jpeg(Segment(0xE1, exif) + Segment(0xE1, xmp) + Segment(0xFE, "taken at home"));
  ASSERT_EQ(GpsEntries(original), 2);
  ASSERT_EQ(Orientation(original), 6);

  std::string clean = StripJpegMetadata(original);
  EXPECT_EQ(GpsEntries(clean), 0);
  EXPECT_EQ(Orientation(clean), 6);
  EXPECT_EQ(clean.find("GPSLatitude"), std::string::npos);
  EXPECT_EQ(clean.find("taken at home"), std::string::npos);
  // The picture itself is untouched.
  std::string scan = std::string("\x12\x34\x56\xFF\x00\x78\xFF\xD9", 8);
  EXPECT_EQ(clean.substr(clean.size() - scan.size()), scan);
}

TEST(Media, BrokenJpegIsRefused) {
  std::string jpeg = Jpeg("");
  EXPECT_THROW(StripJpegMetadata(jpeg.substr(0, 30)), Failure);
  EXPECT_THROW(StripJpegMetadata("\xFF\xD8\xFF\xE0\xFF\xFF"), Failure);
  EXPECT_THROW(CleanAttachment(std::string("\xFF\xD8\xFFnot really a picture"), "attachments[0].data"), Failure);
}

TEST(Media, PngLosesTextAndExifChunks) {
  std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + PngChunk("IHDR", std::string(13, '\x01')) +
                    PngChunk("tEXt", std::string("Location\0Seto", 13)) + PngChunk("eXIf", "MM\0*GPS") +
                    PngChunk("IDAT", "pixels") + PngChunk("IEND", "");
  std::string clean = StripPngMetadata(png);
  EXPECT_EQ(clean.find("Seto"), std::string::npos);
  EXPECT_EQ(clean.find("eXIf"), std::string::npos);
  EXPECT_NE(clean.find("IDATpixels"), std::string::npos);
  EXPECT_THROW(StripPngMetadata(png.substr(0, 20)), Failure);
}

TEST(Media, CleanAttachmentRefusesOtherTypesAndLargeFiles) {
  try {
    CleanAttachment("<html>", "attachments[1].data");
    FAIL();
  } catch (const Failure& f) {
    EXPECT_EQ(f.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(f.error().field, "attachments[1].data");
  }
  try {
    CleanAttachment("%PDF-" + std::string(kMaxAttachmentBytes, 'x'), "f");
    FAIL();
  } catch (const Failure& f) {
    EXPECT_EQ(f.error().code, ErrorCode::kPayloadTooLarge);
  }
  EXPECT_THROW(CleanAttachment("%PDF-1.4 truncated", "f"), Failure);
  EXPECT_EQ(CleanAttachment("%PDF-1.4\n%%EOF\n", "f").media_type, "application/pdf");
}

}  // namespace
}  // namespace moyakko::carenet
