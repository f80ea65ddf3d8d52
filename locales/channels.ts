/** What admins are told in chat about the channels: OA tokens, quotas, pauses (src/domain/channels.ts, src/delivery). */
export const channels = {
  vi: {
    oaRefreshFailed:
      'Không làm mới được token của Zalo OA ({error}). Tin nhắn qua Zalo OA sẽ dừng khi token hiện tại hết hạn lúc {expires}. Hãy kết nối lại: npm run cli -- zalo-oa connect',
    oaRefreshLapsing:
      'Quyền gửi tin của Zalo OA (refresh token) sẽ hết hạn lúc {expires}. Hãy kết nối lại trước thời điểm đó: npm run cli -- zalo-oa connect',
    quotaPaused:
      'Kênh {channel} đã hết hạn mức tin nhắn của tháng ({error}). Loa tạm dừng gửi trên kênh này đến {until}; người có kênh khác sẽ nhận tin ở kênh đó. Nếu đã nâng hạn mức, có thể mở lại ngay: DELETE /api/channels/{channel}/pause',
    userLimitReached:
      'Kênh {channel} đã đủ {limit} người dùng mà gói của nền tảng cho phép. Người mới nhắn tới kênh này được mời dùng Zalo OA hoặc Telegram của Sở; cán bộ vẫn kết nối được bằng mã mời. Muốn nhận thêm, hãy nâng gói rồi đặt ZALO_BOT_USER_LIMIT.',
  },
  en: {
    oaRefreshFailed:
      'The Zalo OA token could not be refreshed ({error}). Messages through the Zalo OA stop when the current token expires at {expires}. Connect it again: npm run cli -- zalo-oa connect',
    oaRefreshLapsing:
      'The Zalo OA permission (refresh token) lapses at {expires}. Connect it again before then: npm run cli -- zalo-oa connect',
    quotaPaused:
      'The {channel} channel has used up its messages for the month ({error}). Loa pauses sending on it until {until}; people with another channel get their messages there. If the quota was raised, resume at once: DELETE /api/channels/{channel}/pause',
    userLimitReached:
      'The {channel} channel has reached the {limit} users its plan allows. Newcomers writing to it are asked to use the Department’s Zalo OA or Telegram instead; staff can still link with their invite code. To take more, upgrade the plan and set ZALO_BOT_USER_LIMIT.',
  },
}
